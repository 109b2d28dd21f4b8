import type { LossConfig } from '../config/types';
import type { ParamStore } from '../nn/params';
import { amSoftmaxHead } from './amSoftmax';
import { arcFaceHead } from './arcFace';
import { centerLossHead } from './centerLoss';
import { customHead } from './customModule';
import { ceHead } from './crossEntropy';
import { focalHead } from './focal';
import type { LossHead } from './head';
import { labelSmoothingHead } from './labelSmoothing';
import { pedccHead } from './pedcc';
import { scaledBnHead } from './scaledBn';

export type { HeadOutput, LossHead } from './head';

export function createHead(loss: LossConfig, store: ParamStore, featureDim: number, numClasses: number, seed: number): LossHead {
  switch (loss.name) {
    case 'ce':
      return ceHead(store, featureDim, numClasses);
    case 'scaled-bn':
      return scaledBnHead(store, featureDim, numClasses, loss);
    case 'am-softmax':
    case 'cosface': // CosFace (Wang et al. 2018) is AM-Softmax: s·(cos θ_y − m) on the target
      return amSoftmaxHead(store, featureDim, numClasses, loss.s, loss.m);
    case 'normface': // NormFace (Wang et al. 2017): s·cos θ, i.e. AM-Softmax without a margin
      return amSoftmaxHead(store, featureDim, numClasses, loss.s, 0);
    case 'arcface':
      return arcFaceHead(store, featureDim, numClasses, loss);
    case 'label-smoothing':
      return labelSmoothingHead(store, featureDim, numClasses, loss.epsilon);
    case 'focal':
      return focalHead(store, featureDim, numClasses, loss.gamma, loss.alpha);
    case 'center':
      return centerLossHead(store, featureDim, numClasses, loss);
    case 'pedcc':
      return pedccHead(store, featureDim, numClasses, loss, seed);
    case 'custom':
      return customHead(loss, store, featureDim, numClasses);
    default: {
      const never: never = loss;
      throw new Error(`unknown loss ${JSON.stringify(never)}`);
    }
  }
}
