import * as tf from '@tensorflow/tfjs-core';
import type { ScaledBnEval } from '../config/types';
import { batchNormBatchStats, batchNormEval, batchNormTrain, BatchNormState } from '../nn/batchNorm';
import { linear } from '../nn/layers';
import { filled, ParamStore } from '../nn/params';
import { softmaxCrossEntropy } from './crossEntropy';
import type { LossHead } from './head';

export interface ScaledBnOptions {
  m: number;
  eval?: ScaledBnEval; // 'running' (default, PyTorch BatchNorm1d in eval mode), 'batch', or 'raw' logits
  momentum?: number;
  eps?: number;
}

/**
 * The paper's method (eq. 9): a non-learnable BatchNorm over the logits, scaled by m,
 * then softmax cross-entropy:
 *   ẑ_c = m · (z_c − μ_c) / √(σ²_c + ε),  μ_c, σ²_c = batch mean and (biased) variance of class c's logit
 *   L = CE(ẑ, y)
 * Training normalises with batch statistics and updates running averages (momentum 0.1);
 * evaluation uses the running averages by default. The per-class shift and scale change
 * the argmax, so the evaluation mode is an explicit option and is recorded with the run.
 */
export function scaledBnHead(store: ParamStore, featureDim: number, numClasses: number, opts: ScaledBnOptions): LossHead {
  const fc = linear(store, 'fc', featureDim, numClasses);
  const state: BatchNormState = {
    runningMean: store.addBuffer('logit_bn.running_mean', [numClasses], filled(numClasses, 0)),
    runningVar: store.addBuffer('logit_bn.running_var', [numClasses], filled(numClasses, 1)),
    momentum: opts.momentum ?? 0.1,
    eps: opts.eps ?? 1e-5,
  };
  const evalMode = opts.eval ?? 'running';
  const normaliseEval = (z: tf.Tensor2D): tf.Tensor2D => {
    if (evalMode === 'raw') return z;
    const zn = evalMode === 'batch' ? batchNormBatchStats(z, state.eps) : batchNormEval(z, state, null, null);
    return tf.mul<tf.Tensor2D>(zn, opts.m);
  };
  return {
    train(f, y) {
      const z = fc.layer(f, true) as tf.Tensor2D;
      const zHat = tf.mul<tf.Tensor2D>(batchNormTrain(z, state, null, null), opts.m);
      return { loss: softmaxCrossEntropy(zHat, y), scores: zHat };
    },
    evaluate(f, y) {
      const zHat = normaliseEval(fc.layer(f, false) as tf.Tensor2D);
      return { loss: softmaxCrossEntropy(zHat, y), scores: zHat };
    },
    outputs(f) {
      const z = fc.layer(f, false) as tf.Tensor2D;
      return { before: z, after: tf.mul<tf.Tensor2D>(batchNormEval(z, state, null, null), opts.m) };
    },
    classWeights: () => fc.weight as tf.Tensor2D,
    evalMode,
  };
}
