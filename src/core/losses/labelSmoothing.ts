import * as tf from '@tensorflow/tfjs-core';
import { linear } from '../nn/layers';
import type { ParamStore } from '../nn/params';
import type { LossHead } from './head';

/**
 * Cross-entropy against smoothed targets q = (1 − ε)·onehot(y) + ε/k (Szegedy et al. 2016;
 * PyTorch's `cross_entropy(label_smoothing=ε)`), mean over the batch:
 *   L = −(1/N) Σ_i Σ_c q_ic · log softmax(z_i)_c,   ∂L/∂z_i = (p_i − q_i) / N
 */
export function labelSmoothingCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, epsilon: number): tf.Scalar {
  const k = logits.shape[1];
  const targets = tf.add(tf.mul(tf.oneHot(labels, k), 1 - epsilon), epsilon / k); // (N, k)
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), targets), 1))) as tf.Scalar;
}

/** Linear layer z = W·f + b, loss = label-smoothing cross-entropy on z; predictions are argmax z. */
export function labelSmoothingHead(store: ParamStore, featureDim: number, numClasses: number, epsilon: number): LossHead {
  const fc = linear(store, 'fc', featureDim, numClasses);
  const run = (f: tf.Tensor2D, y: tf.Tensor1D) => {
    const z = fc.layer(f, false) as tf.Tensor2D;
    return { loss: labelSmoothingCrossEntropy(z, y, epsilon), scores: z };
  };
  return {
    train: run,
    evaluate: run,
    outputs: (f) => ({ before: fc.layer(f, false) as tf.Tensor2D }),
    classWeights: () => fc.weight as tf.Tensor2D,
  };
}
