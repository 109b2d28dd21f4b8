import type { LossConfig } from '../config/types';
import type { ParamStore } from '../nn/params';
import { amSoftmaxHead } from './amSoftmax';
import { ceHead } from './crossEntropy';
import type { LossHead } from './head';
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
      return amSoftmaxHead(store, featureDim, numClasses, loss.s, loss.m);
    case 'pedcc':
      return pedccHead(store, featureDim, numClasses, loss, seed);
    default: {
      const never: never = loss;
      throw new Error(`unknown loss ${JSON.stringify(never)}`);
    }
  }
}
