import * as tf from '@tensorflow/tfjs-core';
import { batchNormEval, batchNormTrain, BatchNormState } from './batchNorm';
import { filled, ParamStore, uniformFanIn } from './params';

/** A layer is a function of its input and the mode; parameters live in the ParamStore. */
export type Layer = (x: tf.Tensor, training: boolean) => tf.Tensor;

/** Conv2d as PyTorch's: symmetric zero padding, NHWC, filter (kh, kw, in, out). */
export function conv2d(store: ParamStore, name: string, inC: number, outC: number, kernel: number, opts: { stride?: number; pad?: number; bias?: boolean } = {}): Layer {
  const stride = opts.stride ?? 1;
  const pad = opts.pad ?? Math.floor(kernel / 2);
  const fanIn = inC * kernel * kernel;
  const w = store.addParam(`${name}.weight`, [kernel, kernel, inC, outC], uniformFanIn(store.rng, kernel * kernel * inC * outC, fanIn), true);
  const b = opts.bias ? store.addParam(`${name}.bias`, [outC], uniformFanIn(store.rng, outC, fanIn), false) : null;
  return (x) => {
    const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad);
    return b ? tf.add(y, b) : y;
  };
}

/** BatchNorm over the last axis (BatchNorm2d on NHWC, BatchNorm1d on (N, C)); momentum 0.1, eps 1e-5 as PyTorch. */
export function batchNorm(store: ParamStore, name: string, channels: number, opts: { affine?: boolean; momentum?: number; eps?: number } = {}): Layer {
  const affine = opts.affine ?? true;
  const gamma = affine ? store.addParam(`${name}.weight`, [channels], filled(channels, 1), false) : null;
  const beta = affine ? store.addParam(`${name}.bias`, [channels], filled(channels, 0), false) : null;
  const state: BatchNormState = {
    runningMean: store.addBuffer(`${name}.running_mean`, [channels], filled(channels, 0)),
    runningVar: store.addBuffer(`${name}.running_var`, [channels], filled(channels, 1)),
    momentum: opts.momentum ?? 0.1,
    eps: opts.eps ?? 1e-5,
  };
  return (x, training) => (training ? batchNormTrain(x, state, gamma, beta) : batchNormEval(x, state, gamma, beta));
}

/** Linear layer y = x·W + b with W stored (in, out), so column c is class c's weight vector. */
export function linear(store: ParamStore, name: string, inF: number, outF: number, opts: { bias?: boolean } = {}): { layer: Layer; weight: tf.Variable } {
  const weight = store.addParam(`${name}.weight`, [inF, outF], uniformFanIn(store.rng, inF * outF, inF), true);
  const bias = (opts.bias ?? true) ? store.addParam(`${name}.bias`, [outF], uniformFanIn(store.rng, outF, inF), false) : null;
  const layer: Layer = (x) => {
    const y = tf.matMul(x, weight);
    return bias ? tf.add(y, bias) : y;
  };
  return { layer, weight };
}

export const relu: Layer = (x) => tf.relu(x);

export function maxPool(size: number): Layer {
  return (x) => tf.maxPool(x as tf.Tensor4D, size, size, 'valid');
}

/** Global average pool (N, H, W, C) → (N, C). */
export const globalAvgPool: Layer = (x) => tf.mean(x, [1, 2]);

export function sequential(...layers: Layer[]): Layer {
  return (x, training) => layers.reduce((h, l) => l(h, training), x);
}

/** Channel count scaled by the width multiplier, never below 1. */
export function scaled(channels: number, width: number): number {
  return Math.max(1, Math.round(channels * width));
}
