import * as tf from '@tensorflow/tfjs-core';
import { linear } from '../nn/layers';
import { filled, type ParamStore } from '../nn/params';
import { softmaxCrossEntropy } from './crossEntropy';
import type { LossHead } from './head';

export interface CenterLossOptions {
  /** Weight λ of the centre term. */
  lambda: number;
  /** Rate α at which the centres follow their class's features (Wen et al.'s default 0.5). */
  alpha?: number;
}

/** The centre term λ/2 · (1/N) Σ_i ‖f_i − c_{y_i}‖², averaged over the batch like the CE term. */
export function centerTerm(features: tf.Tensor2D, centres: tf.Tensor2D, labels: tf.Tensor1D, lambda: number): tf.Scalar {
  const distance = tf.sum(tf.squaredDifference(features, tf.gather(centres, labels)), 1); // (N)
  return tf.mul<tf.Scalar>(tf.mean(distance), lambda / 2);
}

/**
 * Wen et al. 2016, eq. 4: the centres are not trained by SGD but moved towards their class's
 * features of the batch, c_j ← c_j − α·Δc_j with
 *   Δc_j = Σ_i [y_i = j]·(c_j − f_i) / (1 + Σ_i [y_i = j])
 * (the 1 keeps a class absent from the batch where it is).
 */
export function updatedCentres(centres: tf.Tensor2D, features: tf.Tensor2D, labels: tf.Tensor1D, alpha: number): tf.Tensor2D {
  const members = tf.cast(tf.oneHot(labels, centres.shape[0]), 'float32'); // (N, k)
  const counts = tf.reshape(tf.sum(members, 0), [-1, 1]); // (k, 1)
  const featureSums = tf.matMul(members, features, true, false); // (k, d)
  const delta = tf.div(tf.sub(tf.mul(centres, counts), featureSums), tf.add(counts, 1));
  return tf.sub<tf.Tensor2D>(centres, tf.mul(delta, alpha));
}

/**
 * Center loss (Wen et al. 2016): a linear classifier with softmax cross-entropy plus a pull of each
 * feature towards a per-class centre c_y in feature space,
 *   L = CE(W·f + b, y) + λ/2 · (1/N) Σ_i ‖f_i − c_{y_i}‖²
 * The centres (k, d) start at 0 and are updated once per training batch at their own rate α
 * (updatedCentres), after the loss has used them; the gradient reaches the features only.
 */
export function centerLossHead(store: ParamStore, featureDim: number, numClasses: number, opts: CenterLossOptions): LossHead {
  const alpha = opts.alpha ?? 0.5;
  const fc = linear(store, 'fc', featureDim, numClasses);
  const centres = store.addBuffer('center.centres', [numClasses, featureDim], filled(numClasses * featureDim, 0));
  const lossOf = (f: tf.Tensor2D, y: tf.Tensor1D) => {
    const z = fc.layer(f, false) as tf.Tensor2D;
    return { loss: tf.add<tf.Scalar>(softmaxCrossEntropy(z, y), centerTerm(f, centres as tf.Tensor2D, y, opts.lambda)), scores: z };
  };
  return {
    train(f, y) {
      const out = lossOf(f, y);
      centres.assign(tf.tidy(() => updatedCentres(centres as tf.Tensor2D, f, y, alpha)));
      return out;
    },
    evaluate: lossOf,
    outputs: (f) => ({ before: fc.layer(f, false) as tf.Tensor2D }),
    classWeights: () => fc.weight as tf.Tensor2D,
  };
}
