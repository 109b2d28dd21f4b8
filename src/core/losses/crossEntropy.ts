import * as tf from '@tensorflow/tfjs-core';
import { linear } from '../nn/layers';
import type { ParamStore } from '../nn/params';
import type { LossHead } from './head';

/**
 * Softmax cross-entropy, mean over the batch:
 *   L = −(1/N) Σ_i log softmax(z_i)_{y_i},  ∂L/∂z_i = (p_i − onehot(y_i)) / N   (paper eqs. 1, 8)
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const k = logits.shape[1];
  const logp = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(logp, tf.oneHot(labels, k)), 1);
  return tf.neg(tf.mean(picked)) as tf.Scalar;
}

/** Linear layer z = W·f + b, loss = softmax cross-entropy on z. */
export function ceHead(store: ParamStore, featureDim: number, numClasses: number): LossHead {
  const fc = linear(store, 'fc', featureDim, numClasses);
  const run = (f: tf.Tensor2D, y: tf.Tensor1D) => {
    const z = fc.layer(f, false) as tf.Tensor2D;
    return { loss: softmaxCrossEntropy(z, y), scores: z };
  };
  return {
    train: run,
    evaluate: run,
    outputs: (f) => ({ before: fc.layer(f, false) as tf.Tensor2D }),
    classWeights: () => fc.weight as tf.Tensor2D,
  };
}
