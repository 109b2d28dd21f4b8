import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../nn/params';
import { uniformFanIn } from '../nn/params';
import { softmaxCrossEntropy } from './crossEntropy';
import type { LossHead } from './head';

/** Row-wise L2 normalisation along `axis`, guarded against zero vectors. */
export function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12)));
}

/**
 * Additive-margin logits (paper eq. 2): s·(cos_c − m·[c = y]).
 * The margin applies to the target cosine only.
 */
export function additiveMarginLogits(cos: tf.Tensor2D, labels: tf.Tensor1D, s: number, m: number): tf.Tensor2D {
  const margin = tf.mul(tf.oneHot(labels, cos.shape[1]), m);
  return tf.mul<tf.Tensor2D>(tf.sub(cos, margin), s);
}

/**
 * AM-Softmax: f̂ = f/‖f‖, Ŵ_c = W_c/‖W_c‖ (no bias), cos_c = Ŵ_c·f̂,
 *   L = CE(s·(cos − m·onehot(y)), y).
 * Accuracy (the scores) uses the plain cosines, without the margin.
 */
export function amSoftmaxHead(store: ParamStore, featureDim: number, numClasses: number, s: number, m: number): LossHead {
  const weight = store.addParam('fc.weight', [featureDim, numClasses], uniformFanIn(store.rng, featureDim * numClasses, featureDim), true);
  const cosines = (f: tf.Tensor2D): tf.Tensor2D => tf.matMul(l2Normalize(f, 1), l2Normalize(weight, 0));
  const run = (f: tf.Tensor2D, y: tf.Tensor1D) => {
    const cos = cosines(f);
    return { loss: softmaxCrossEntropy(additiveMarginLogits(cos, y, s, m), y), scores: cos };
  };
  return {
    train: run,
    evaluate: run,
    outputs: (f) => ({ before: tf.mul<tf.Tensor2D>(cosines(f), s) }),
    classWeights: () => weight as tf.Tensor2D,
  };
}
