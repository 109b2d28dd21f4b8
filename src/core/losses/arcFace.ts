import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../nn/params';
import { uniformFanIn } from '../nn/params';
import { l2Normalize } from './amSoftmax';
import { softmaxCrossEntropy } from './crossEntropy';
import type { LossHead } from './head';

export interface ArcFaceOptions {
  s: number;
  m: number;
  /** Apply the margin only where cos θ > 0 (insightface's easy_margin); default false: the threshold below. */
  easyMargin?: boolean;
}

/** 1 − cos² is clamped away from 0: sin θ = √(1 − cos²) has an infinite slope at cos = ±1. */
const MIN_SIN_SQUARED = 1e-9;

/**
 * ArcFace's target logit cos(θ_y + m) (Deng et al. 2019), with insightface's handling of θ + m > π,
 * where cos(θ + m) would stop decreasing in θ:
 *   cos(θ + m) = cos θ·cos m − sin θ·sin m,  sin θ = √(1 − cos² θ)
 *   easy margin: use cos(θ + m) where cos θ > 0, else cos θ
 *   otherwise:   use cos(θ + m) where cos θ > th, else cos θ − mm,  th = cos(π − m), mm = sin(π − m)·m
 * Logits = s·cos θ_c for c ≠ y and s·(target logit above) for c = y.
 */
export function arcFaceLogits(cos: tf.Tensor2D, labels: tf.Tensor1D, opts: ArcFaceOptions): tf.Tensor2D {
  const { s, m } = opts;
  const sin = tf.sqrt(tf.clipByValue(tf.sub(1, tf.square(cos)), MIN_SIN_SQUARED, 1));
  const cosPlusM = tf.sub(tf.mul(cos, Math.cos(m)), tf.mul(sin, Math.sin(m))); // (N, k)
  const th = Math.cos(Math.PI - m);
  const mm = Math.sin(Math.PI - m) * m;
  // Masks through tf.step (gradient 0), not tf.greater + tf.where: Greater has no gradient in tfjs.
  const useMargin = tf.step(tf.sub(cos, opts.easyMargin ? 0 : th)); // 1 where cos θ > threshold
  const fallback = opts.easyMargin ? cos : tf.sub(cos, mm);
  const target = tf.add(tf.mul(useMargin, cosPlusM), tf.mul(tf.sub(1, useMargin), fallback));
  const isTarget = tf.cast(tf.oneHot(labels, cos.shape[1]), 'float32');
  return tf.mul<tf.Tensor2D>(tf.add(tf.mul(isTarget, target), tf.mul(tf.sub(1, isTarget), cos)), s);
}

/**
 * ArcFace (additive angular margin): f̂ = f/‖f‖, Ŵ_c = W_c/‖W_c‖ (no bias), cos θ_c = Ŵ_c·f̂,
 *   L = CE(arcFaceLogits(cos θ, y), y)
 * Accuracy (the scores) uses the plain cosines, without the margin, as AM-Softmax does.
 */
export function arcFaceHead(store: ParamStore, featureDim: number, numClasses: number, opts: ArcFaceOptions): LossHead {
  const weight = store.addParam('fc.weight', [featureDim, numClasses], uniformFanIn(store.rng, featureDim * numClasses, featureDim), true);
  const cosines = (f: tf.Tensor2D): tf.Tensor2D => tf.matMul(l2Normalize(f, 1), l2Normalize(weight, 0));
  const run = (f: tf.Tensor2D, y: tf.Tensor1D) => {
    const cos = cosines(f);
    return { loss: softmaxCrossEntropy(arcFaceLogits(cos, y, opts), y), scores: cos };
  };
  return {
    train: run,
    evaluate: run,
    outputs: (f) => ({ before: tf.mul<tf.Tensor2D>(cosines(f), opts.s) }),
    classWeights: () => weight as tf.Tensor2D,
  };
}
