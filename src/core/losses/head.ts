import type * as tf from '@tensorflow/tfjs-core';

export interface HeadOutput {
  loss: tf.Scalar; // mean over the batch (PEDCC adds its summed distance term)
  scores: tf.Tensor2D; // (N, k): argmax is the prediction
}

/**
 * The classifier on top of a backbone's features together with its loss.
 * The two are one module because three of the four losses change the last layer
 * itself (normalised weights, fixed centroids, a BN over the logits).
 */
export interface LossHead {
  train(features: tf.Tensor2D, labels: tf.Tensor1D): HeadOutput;
  evaluate(features: tf.Tensor2D, labels: tf.Tensor1D): HeadOutput;
  /** The network's output values in evaluation mode, before and (scaled-bn) after the BN: paper Fig. 2. */
  outputs(features: tf.Tensor2D): { before: tf.Tensor2D; after?: tf.Tensor2D };
  /** Last layer weight with one column per class (d, k), for paper Fig. 3; null where classes have no weights. */
  classWeights(): tf.Tensor2D | null;
  /** Which statistics evaluation used, recorded with the results. */
  evalMode?: string;
}
