import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, linear } from '../nn/layers';
import type { ParamStore } from '../nn/params';
import { additiveMarginLogits, l2Normalize } from './amSoftmax';
import { evenlyDistributedCentroids } from './centroids';
import { softmaxCrossEntropy } from './crossEntropy';
import type { LossHead } from './head';

export interface PedccOptions {
  s: number;
  m: number;
  embedDim?: number; // width of the embedding the centroids live in (512 in the reference network)
  n?: number; // exponent on the distance term (1 in the reference code)
  /** Reduction of the distance term over the batch: 'sum' (the reference code, default) or 'mean' (÷ N). */
  distance?: 'sum' | 'mean';
  /** Non-affine BatchNorm on the embedding before normalising (the reference network, default true). */
  embedBn?: boolean;
}

/** The loss on normalised features f̂ (N, d) against centroids (k, d); scores are the plain cosines. */
export function pedccLoss(fHat: tf.Tensor2D, centroids: tf.Tensor2D, y: tf.Tensor1D, s: number, m: number, n = 1, distance: 'sum' | 'mean' = 'sum'): { loss: tf.Scalar; scores: tf.Tensor2D } {
  const cos: tf.Tensor2D = tf.matMul(fHat, centroids, false, true);
  const am = softmaxCrossEntropy(additiveMarginLogits(cos, y, s, m), y);
  const summed = tf.sum(tf.squaredDifference(fHat, tf.gather(centroids, y)));
  const dist = distance === 'mean' ? tf.div(summed, fHat.shape[0]) : summed;
  return { loss: tf.add<tf.Scalar>(am, n === 1 ? dist : tf.pow(dist, n)), scores: cos };
}

/**
 * PEDCC-loss against k fixed, evenly distributed unit centroids c_j:
 *   f̂ = normalise(BN(E·f))   (bias-free embedding E, non-affine BN: post-ReLU pooled
 *                              features are all ≥ 0 and could never reach a simplex's vertices)
 *   L = CE(s·(cos(f̂, c) − m·onehot(y)), y) + (Σ_i ‖f̂_i − c_{y_i}‖²)^n
 * The second term is summed over the batch (not averaged), as in the reference code; `distance: 'mean'`
 * divides it by the batch size N instead. `embedBn: false` drops the BN (f̂ = normalise(E·f)).
 */
export function pedccHead(store: ParamStore, featureDim: number, numClasses: number, opts: PedccOptions, seed: number): LossHead {
  const embedDim = opts.embedDim ?? 512;
  const n = opts.n ?? 1;
  const distance = opts.distance ?? 'sum';
  const embed = linear(store, 'embed', featureDim, embedDim, { bias: false });
  const bn = opts.embedBn === false ? (x: tf.Tensor, _training: boolean) => x : batchNorm(store, 'embed_bn', embedDim, { affine: false });
  const centroids = store.addBuffer('pedcc.centroids', [numClasses, embedDim], Float32Array.from(evenlyDistributedCentroids(numClasses, embedDim, seed)));
  const run = (f: tf.Tensor2D, y: tf.Tensor1D, training: boolean) => {
    const fHat = l2Normalize(bn(embed.layer(f, training), training), 1) as tf.Tensor2D;
    return pedccLoss(fHat, centroids as tf.Tensor2D, y, opts.s, opts.m, n, distance);
  };
  return {
    train: (f, y) => run(f, y, true),
    evaluate: (f, y) => run(f, y, false),
    outputs: (f) => {
      const fHat = l2Normalize(bn(embed.layer(f, false), false), 1) as tf.Tensor2D;
      return { before: tf.mul<tf.Tensor2D>(tf.matMul(fHat, centroids, false, true), opts.s) };
    },
    classWeights: () => null,
  };
}
