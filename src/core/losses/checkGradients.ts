/**
 * Autodiff gradients of the training loss against finite differences, coordinate by coordinate.
 *
 * tfjs computes in float32, so one step size cannot serve every head: a small step drowns in rounding
 * (∝ 1e-7/eps), a large one in curvature (a cosine head at s = 64 bends within 1e-2). Ridders' method
 * takes central differences at steps shrinking from a tenth of the tensor's scale and extrapolates them
 * to step 0 (Richardson), keeping the estimate whose neighbours agree best; that agreement is its error
 * estimate. A coordinate passes when |autodiff − fd| ≤ atol + rtol·max(|autodiff|, |fd|) + the estimate's
 * error; atol is a fraction of the tensor's largest gradient, plus a smaller one of the largest of all
 * (a gradient that is 0, as a bias's before a BN, leaves only float32 rounding in its differences).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../util/rng';
import { asMatrix, fmt, lossValue, named, trainables } from './checkSetup';

const GRAD_RTOL = 5e-3;
const GRAD_ATOL = 1e-3;
const GRAD_ATOL_OF_ALL = 1e-4;
/** Coordinates checked per tensor (all of a small one). */
const MAX_PER_TENSOR = 24;
const FIRST_STEP = 0.1;
/** Steps start at FIRST_STEP × max(the tensor's rms, this): a bias at 0 still moves the loss past rounding. */
const MIN_SCALE = 0.1;
/** float32 rounding of a loss value, relative (a few units in the last place). */
const ROUNDING = 2 ** -22;
const SHRINK = 1.4;
const TABLEAU = 10;

/**
 * Ridders' extrapolated central difference of f at step h: the estimate and its error, which is at least
 * the rounding of f's values (`size`) over the step (the tableau's spread misses it when differences round to 0).
 */
function ridders(f: (delta: number) => number, h: number, size: number): { value: number; error: number } {
  const a: number[][] = [];
  let best = { value: NaN, error: Infinity };
  for (let i = 0; i < TABLEAU; i++, h /= SHRINK) {
    a[i] = [(f(h) - f(-h)) / (2 * h)];
    let fac = SHRINK * SHRINK;
    for (let j = 1; j <= i; j++, fac *= SHRINK * SHRINK) {
      a[i][j] = (a[i][j - 1] * fac - a[i - 1][j - 1]) / (fac - 1);
      const error = Math.max(Math.abs(a[i][j] - a[i][j - 1]), Math.abs(a[i][j] - a[i - 1][j - 1]), (ROUNDING * size) / h);
      if (error <= best.error) best = { value: a[i][j], error };
    }
    // Higher orders got worse: rounding has taken over.
    if (i > 0 && Math.abs(a[i][i] - a[i - 1][i - 1]) >= 2 * best.error) break;
  }
  // Not finite near the start: no estimate, and the coordinate fails (an infinite error would pass it).
  return Number.isFinite(best.value) && Number.isFinite(best.error) ? best : { value: NaN, error: 0 };
}

interface Coordinate {
  where: string;
  analytic: number;
  numeric: number;
  error: number;
  tolerance: number;
}

export const checkGradients = named('gradients match finite differences', (s) => {
  const start = lossValue(s);
  if (!Number.isFinite(start)) return { name: checkGradients.title, passed: false, detail: `the loss is ${start} at the start, before any step` };
  const vars = trainables(s);
  const analytic = tf.tidy(() => {
    const { grads } = tf.variableGrads(
      () => s.head.train(asMatrix(s.features), s.labels).loss,
      vars.map((x) => x.v),
    );
    return vars.map(({ v }) => (grads[v.name] ? grads[v.name].dataSync().slice() : new Float32Array(v.size)));
  });
  const rng = new Rng(7);
  const perTensor = vars.map(({ name, v }, vi) => {
    const values = v.dataSync().slice() as Float32Array;
    const rms = Math.sqrt(values.reduce((acc, x) => acc + x * x, 0) / Math.max(values.length, 1));
    const picks = [...rng.permutation(values.length).slice(0, MAX_PER_TENSOR)].sort((a, b) => a - b);
    const found = picks.map((i) => {
      const at = (delta: number) => {
        const x = values.slice();
        x[i] += delta;
        tf.tidy(() => v.assign(tf.tensor(x, v.shape)));
        return lossValue(s);
      };
      const fd = ridders(at, FIRST_STEP * Math.max(rms, MIN_SCALE), Math.max(Math.abs(start), 1));
      tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
      return { where: `${name}[${i}]`, analytic: analytic[vi][i], numeric: fd.value, error: fd.error };
    });
    return found;
  });
  const size = (c: { analytic: number; numeric: number }) => Math.max(Math.abs(c.analytic), Math.abs(c.numeric));
  const largest = (cs: { analytic: number; numeric: number }[]) => cs.reduce((m, c) => Math.max(m, Number.isFinite(size(c)) ? size(c) : 0), 0);
  const all = largest(perTensor.flat());
  const coordinates: Coordinate[] = perTensor.flatMap((found) => {
    const atol = GRAD_ATOL * largest(found) + GRAD_ATOL_OF_ALL * all + 1e-9;
    return found.map((c) => ({ ...c, tolerance: atol + GRAD_RTOL * size(c) + c.error }));
  });
  // The coordinate closest to (or furthest past) its tolerance.
  const ratio = (c: Coordinate) => (Number.isFinite(c.numeric) && Number.isFinite(c.analytic) ? Math.abs(c.analytic - c.numeric) / c.tolerance : Infinity);
  const worst = coordinates.reduce((w, c) => (ratio(c) > ratio(w) ? c : w), coordinates[0]);
  const failed = coordinates.filter((c) => !(ratio(c) <= 1)).length;
  const rel = (c: Coordinate) => Math.abs(c.analytic - c.numeric) / Math.max(size(c), 1e-12);
  return {
    name: checkGradients.title,
    passed: failed === 0,
    detail:
      `${failed} of ${coordinates.length} coordinates off (tolerance per coordinate ${GRAD_ATOL}·max|g| of its tensor + ${GRAD_ATOL_OF_ALL}·max|g| + ${GRAD_RTOL}·|g| ` +
      `+ the finite difference's error; Ridders' extrapolated central differences); ${failed ? 'furthest past' : 'closest to'} its tolerance: ${worst.where}, ` +
      `autodiff ${fmt(worst.analytic)} vs finite difference ${fmt(worst.numeric)} ± ${fmt(worst.error)}, relative error ${fmt(rel(worst))}, ${fmt(ratio(worst))} × its tolerance`,
  };
});
