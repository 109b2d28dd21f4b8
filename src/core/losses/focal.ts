import * as tf from '@tensorflow/tfjs-core';
import { linear } from '../nn/layers';
import type { ParamStore } from '../nn/params';
import type { LossHead } from './head';

/** (1 − p_t) is kept off 0 so that its power has a finite slope for γ < 1 too. */
const MIN_ONE_MINUS_P = 1e-12;

/**
 * Softmax focal loss (Lin et al. 2017), mean over the batch:
 *   L = −(1/N) Σ_i α_{y_i} · (1 − p_{i,y_i})^γ · log p_{i,y_i},   p_i = softmax(z_i)
 * α is one weight for every class (a number) or one per class (an array of k); absent: 1.
 * γ = 0 and no α is exactly cross-entropy.
 */
export function focalLoss(logits: tf.Tensor2D, labels: tf.Tensor1D, gamma: number, alpha?: number | readonly number[]): tf.Scalar {
  const k = logits.shape[1];
  const logPt = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(labels, k)), 1); // (N)
  const modulator = gamma === 0 ? tf.onesLike(logPt) : tf.pow(tf.maximum(tf.sub(1, tf.exp(logPt)), MIN_ONE_MINUS_P), gamma);
  let perSample = tf.mul(modulator, tf.neg(logPt)); // (N)
  if (typeof alpha === 'number') perSample = tf.mul(perSample, alpha);
  else if (alpha) perSample = tf.mul(perSample, tf.gather(tf.tensor1d(alpha as number[]), labels));
  return tf.mean<tf.Scalar>(perSample);
}

/** Linear layer z = W·f + b, loss = focal loss on z; predictions are argmax z. */
export function focalHead(store: ParamStore, featureDim: number, numClasses: number, gamma: number, alpha?: number | readonly number[]): LossHead {
  if (Array.isArray(alpha) && alpha.length !== numClasses) {
    throw new Error(`focal loss: alpha has ${alpha.length} weights but the dataset has ${numClasses} classes (give one per class, or one number)`);
  }
  const fc = linear(store, 'fc', featureDim, numClasses);
  const run = (f: tf.Tensor2D, y: tf.Tensor1D) => {
    const z = fc.layer(f, false) as tf.Tensor2D;
    return { loss: focalLoss(z, y, gamma, alpha), scores: z };
  };
  return {
    train: run,
    evaluate: run,
    outputs: (f) => ({ before: fc.layer(f, false) as tf.Tensor2D }),
    classWeights: () => fc.weight as tf.Tensor2D,
  };
}
