import * as tf from '@tensorflow/tfjs-core';
import { BN_BACKWARD, BN_FORWARD, batchNormKernelsUsable } from '../backend/fusedKernels';
import { activeHostBackend, hostValues, hostWritten } from '../backend/hostArrays';

export interface BatchNormState {
  runningMean: tf.Variable;
  runningVar: tf.Variable;
  momentum: number; // PyTorch convention: running = (1 − momentum)·running + momentum·batch
  eps: number;
}

/**
 * Training-mode batch normalisation over every axis but the last, with a
 * hand-written gradient. tfjs' own gradient of the composed ops tiles and
 * re-reduces many small tensors; this one is the textbook closed form:
 *   dx = γ·invStd/n · (n·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ(dy·x̂),  dβ = Σdy.
 * Running statistics are updated as a side effect (unbiased variance, as PyTorch).
 * `gamma`/`beta` may be null for a non-affine BN.
 */
export function batchNormTrain(x: tf.Tensor, state: BatchNormState, gamma: tf.Tensor | null, beta: tf.Tensor | null): tf.Tensor {
  if (batchNormKernelsUsable()) return batchNormTrainFused(x, state, gamma, beta);
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const n = x.size / x.shape[x.rank - 1];
  const { runningMean, runningVar, momentum, eps } = state;

  const forward = (xIn: tf.Tensor, g: tf.Tensor | null, b: tf.Tensor | null, save: tf.GradSaveFunc) => {
    const { mean, variance } = tf.moments(xIn, axes); // (C), biased variance
    runningMean.assign(tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(mean, momentum)));
    runningVar.assign(tf.add(tf.mul(runningVar, 1 - momentum), tf.mul(variance, (momentum * n) / Math.max(n - 1, 1))));
    const invStd = tf.rsqrt(tf.add(variance, eps)); // (C)
    const xHat = tf.mul(tf.sub(xIn, mean), invStd);
    const scale = g ? tf.mul(g, invStd) : invStd;
    save([xHat, scale]);
    let y = g ? tf.mul(xHat, g) : xHat;
    if (b) y = tf.add(y, b);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xh, sc] = saved;
      const sumDy = tf.sum(dy, axes);
      const sumDyXHat = tf.sum(tf.mul(dy, xh), axes);
      const centred = tf.sub(tf.sub(dy, tf.div(sumDy, n)), tf.mul(xh, tf.div(sumDyXHat, n)));
      const dx = tf.mul(centred, sc);
      const grads = [dx];
      if (g) grads.push(sumDyXHat);
      if (b) grads.push(sumDy);
      return grads;
    };
    return { value: y, gradFunc };
  };

  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [xi, g, b] = args.slice(0, -1) as tf.Tensor[];
    return forward(xi, g ?? null, b ?? null, save);
  });
  return gamma && beta ? op(x, gamma, beta) : op(x);
}

/**
 * The same maths as the composed version above, as two host kernels (wasm, cpu): one pass for
 * the statistics and one for the output forward, two passes backward. Saves x and the
 * per-channel statistics instead of x̂.
 */
function batchNormTrainFused(x: tf.Tensor, state: BatchNormState, gamma: tf.Tensor | null, beta: tf.Tensor | null): tf.Tensor {
  const n = x.size / x.shape[x.rank - 1];
  const { eps } = state;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [xi, g, b] = args.slice(0, -1) as tf.Tensor[];
    const inputs: tf.NamedTensorMap = g && b ? { x: xi, gamma: g, beta: b } : { x: xi };
    const [y, mean, variance] = tf.engine().runKernel<tf.Tensor[]>(BN_FORWARD, inputs, { eps });
    updateRunningStats(state, mean, variance, n);
    save(g ? [xi, mean, variance, g] : [xi, mean, variance]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, m, v, gs] = saved;
      const gradInputs: tf.NamedTensorMap = gs ? { dy, x: xs, mean: m, variance: v, gamma: gs } : { dy, x: xs, mean: m, variance: v };
      const [dx, sumDyXHat, sumDy] = tf.engine().runKernel<tf.Tensor[]>(BN_BACKWARD, gradInputs, { eps });
      return gs ? [dx, sumDyXHat, sumDy] : [dx];
    };
    return { value: y, gradFunc };
  });
  return gamma && beta ? op(x, gamma, beta) : op(x);
}

/** running = (1 − m)·running + m·batch (unbiased variance), in place, with the float32 rounding of the op-by-op version. */
function updateRunningStats(state: BatchNormState, mean: tf.Tensor, variance: tf.Tensor, n: number): void {
  const { runningMean, runningVar, momentum } = state;
  const backend = activeHostBackend();
  if (!backend) {
    runningMean.assign(tf.tidy(() => tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(mean, momentum))));
    runningVar.assign(tf.tidy(() => tf.add(tf.mul(runningVar, 1 - momentum), tf.mul(variance, (momentum * n) / Math.max(n - 1, 1)))));
    return;
  }
  const f = Math.fround;
  const keep = f(1 - momentum);
  const take = f(momentum);
  const takeVar = f((momentum * n) / Math.max(n - 1, 1));
  const rm = hostValues(backend, runningMean);
  const rv = hostValues(backend, runningVar);
  const m = hostValues(backend, mean);
  const v = hostValues(backend, variance);
  for (let c = 0; c < rm.length; c++) {
    rm[c] = f(rm[c] * keep) + f(m[c] * take);
    rv[c] = f(rv[c] * keep) + f(v[c] * takeVar);
  }
  hostWritten(backend, runningMean);
  hostWritten(backend, runningVar);
}

/** Evaluation-mode BN: normalise with the running statistics. */
export function batchNormEval(x: tf.Tensor, state: BatchNormState, gamma: tf.Tensor | null, beta: tf.Tensor | null): tf.Tensor {
  const invStd = tf.rsqrt(tf.add(state.runningVar, state.eps));
  const scale = gamma ? tf.mul(gamma, invStd) : invStd;
  const y = tf.mul(tf.sub(x, state.runningMean), scale);
  return beta ? tf.add(y, beta) : y;
}

/** Normalise with the statistics of this batch, without touching the running ones (for "batch" evaluation). */
export function batchNormBatchStats(x: tf.Tensor, eps: number): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
}
