/**
 * Check Loss: checks of a custom loss module without a training run, each passed or failed with its numbers.
 *
 *  - scores shape: train and evaluate return a scalar loss and scores of shape (N, k); outputs give (N, k).
 *  - gradients: autodiff gradients of the training loss (w.r.t. the head input and the head's parameters)
 *    against central finite differences on a small random batch. In float32 a step of 1e-2 balances
 *    truncation (∝ eps²) against rounding (∝ 1e-7/eps); passed when ‖g − g_fd‖ ≤ 2% of max(‖g‖, ‖g_fd‖).
 *    A loss computed partly on the host (dataSync() values re-wrapped as a constant) fails here.
 *  - extreme logits: loss and gradients stay finite when the head input is scaled by 1e3.
 *  - fits one batch: SGD on the head's parameters and its input for 50 steps lowers the loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ParamStore } from '../nn/params';
import { Rng } from '../util/rng';
import { CustomLossError, customLossOptions, loadCustomLoss } from './customModule';
import type { CheckResult } from './checkResults';
import type { LossHead } from './head';

export { formatCheckResults, type CheckResult } from './checkResults';

export interface CheckLossOptions {
  featureDim?: number;
  numClasses?: number;
  batch?: number;
  seed?: number;
}

const FD_EPS = 1e-2;
const FD_TOLERANCE = 0.02;
/** Finite-difference coordinates checked per tensor (all of a small one). */
const FD_MAX_PER_TENSOR = 24;
const FIT_STEPS = 50;
const FIT_LR = 0.1;

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toFixed(4) : x.toExponential(2)) : String(x));

interface Setup {
  head: LossHead;
  store: ParamStore;
  features: tf.Variable;
  labels: tf.Tensor1D;
}

/** Runs every check on the module at `file` with the given options; a module that does not load gives one failed check. */
export function checkLoss(file: string, options: Record<string, unknown> | undefined, opts: CheckLossOptions = {}): CheckResult[] {
  const d = opts.featureDim ?? 6;
  const k = opts.numClasses ?? 4;
  const n = opts.batch ?? 8;
  const seed = opts.seed ?? 1;
  let setup: (scale: number) => Setup;
  try {
    const loaded = loadCustomLoss(file);
    const validated = customLossOptions(loaded, options);
    setup = (scale) => {
      const rng = new Rng(seed);
      const store = new ParamStore(rng);
      const head = loaded.create({ tf, store, featureDim: d, numClasses: k, options: structuredClone(validated) }) as LossHead;
      const f = Float32Array.from({ length: n * d }, () => rng.normal() * scale);
      const y = Int32Array.from({ length: n }, (_, i) => i % k);
      return { head, store, features: tf.variable(tf.tensor2d(f, [n, d]), true), labels: tf.tensor1d(y, 'int32') };
    };
    const probe = setup(1);
    probe.store.dispose();
    probe.features.dispose();
    probe.labels.dispose();
  } catch (e) {
    return [{ name: 'module loads', passed: false, detail: e instanceof CustomLossError ? e.message : String((e as Error)?.message ?? e) }];
  }
  const results: CheckResult[] = [{ name: 'module loads', passed: true, detail: `${file}: head created for d=${d}, k=${k}` }];
  for (const check of [checkShapes, checkGradients, checkExtreme, checkFit]) {
    const s = setup(check === checkExtreme ? 1e3 : 1);
    try {
      results.push(check(s, n, k));
    } catch (e) {
      results.push({ name: check.title, passed: false, detail: e instanceof Error ? e.message : String(e) });
    } finally {
      s.store.dispose();
      s.features.dispose();
      s.labels.dispose();
    }
  }
  return results;
}

type Check = ((s: Setup, n: number, k: number) => CheckResult) & { title: string };

function named(title: string, f: (s: Setup, n: number, k: number) => CheckResult): Check {
  return Object.assign(f, { title });
}

const checkShapes = named('scores shape (N, k)', ({ head, features, labels }, n, k) =>
  tf.tidy(() => {
    const f = features as unknown as tf.Tensor2D;
    const train = head.train(f, labels);
    const evaluate = head.evaluate(f, labels);
    const before = head.outputs(f).before;
    const shapes = `train scores [${train.scores.shape.join(', ')}], evaluate scores [${evaluate.scores.shape.join(', ')}], outputs [${before.shape.join(', ')}]`;
    const ok = (t: tf.Tensor) => t.rank === 2 && t.shape[0] === n && t.shape[1] === k;
    return { name: checkShapes.title, passed: ok(train.scores) && ok(evaluate.scores) && ok(before), detail: `${shapes}; expected [${n}, ${k}]` };
  }),
);

/** The training loss as a number, with the head's variables at their current values. */
const lossValue = (head: LossHead, features: tf.Variable, labels: tf.Tensor1D) => tf.tidy(() => head.train(features as unknown as tf.Tensor2D, labels).loss.dataSync()[0]);

const checkGradients = named('gradients match finite differences', ({ head, store, features, labels }) => {
  const vars: { name: string; v: tf.Variable }[] = [{ name: 'input', v: features }, ...store.params.map((p) => ({ name: p.name, v: p.variable }))];
  const analytic = tf.tidy(() => {
    const { grads } = tf.variableGrads(
      () => head.train(features as unknown as tf.Tensor2D, labels).loss,
      vars.map((x) => x.v),
    );
    return vars.map(({ v }) => (grads[v.name] ? grads[v.name].dataSync().slice() : new Float32Array(v.size)));
  });
  const rng = new Rng(7);
  let diff2 = 0;
  let a2 = 0;
  let n2 = 0;
  let worst = { where: '', analytic: 0, numeric: 0, err: -1 };
  let checked = 0;
  vars.forEach(({ name, v }, vi) => {
    const values = v.dataSync().slice() as Float32Array;
    const count = Math.min(values.length, FD_MAX_PER_TENSOR);
    const picks = values.length <= FD_MAX_PER_TENSOR ? [...values.keys()] : Array.from({ length: count }, () => Math.floor(rng.uniform(0, values.length)));
    for (const i of picks) {
      const at = (delta: number) => {
        const x = values.slice();
        x[i] += delta;
        tf.tidy(() => v.assign(tf.tensor(x, v.shape)));
        return lossValue(head, features, labels);
      };
      const numeric = (at(FD_EPS) - at(-FD_EPS)) / (2 * FD_EPS);
      tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
      const a = analytic[vi][i];
      diff2 += (a - numeric) ** 2;
      a2 += a * a;
      n2 += numeric * numeric;
      checked++;
      const err = Math.abs(a - numeric);
      if (err > worst.err) worst = { where: `${name}[${i}]`, analytic: a, numeric, err };
    }
  });
  const rel = Math.sqrt(diff2) / Math.max(Math.sqrt(a2), Math.sqrt(n2), 1e-8);
  const passed = Number.isFinite(rel) && rel <= FD_TOLERANCE;
  return {
    name: checkGradients.title,
    passed,
    detail: `relative error ${fmt(rel)} (tolerance ${FD_TOLERANCE}) over ${checked} coordinates, central differences with eps ${FD_EPS}; largest at ${worst.where}: autodiff ${fmt(worst.analytic)} vs finite difference ${fmt(worst.numeric)}`,
  };
});

const checkExtreme = named('finite loss on extreme logits (input ×1e3)', ({ head, store, features, labels }) =>
  tf.tidy(() => {
    const vars = [features, ...store.params.map((p) => p.variable)];
    const { value, grads } = tf.variableGrads(() => head.train(features as unknown as tf.Tensor2D, labels).loss, vars);
    const loss = value.dataSync()[0];
    const gradFinite = Object.values(grads).every((g) => tf.all(tf.isFinite(g)).dataSync()[0] === 1);
    const scoresFinite = tf.all(tf.isFinite(head.evaluate(features as unknown as tf.Tensor2D, labels).scores)).dataSync()[0] === 1;
    return {
      name: checkExtreme.title,
      passed: Number.isFinite(loss) && gradFinite && scoresFinite,
      detail: `loss ${fmt(loss)}, gradients ${gradFinite ? 'finite' : 'NOT finite'}, scores ${scoresFinite ? 'finite' : 'NOT finite'}`,
    };
  }),
);

const checkFit = named(`loss falls when one batch is fitted for ${FIT_STEPS} steps`, ({ head, store, features, labels }) => {
  const vars = [features, ...store.params.map((p) => p.variable)];
  const optimizer = tf.train.sgd(FIT_LR);
  const start = lossValue(head, features, labels);
  for (let step = 0; step < FIT_STEPS; step++) {
    tf.tidy(() => void optimizer.minimize(() => head.train(features as unknown as tf.Tensor2D, labels).loss, false, vars));
  }
  const end = lossValue(head, features, labels);
  optimizer.dispose();
  const passed = Number.isFinite(start) && Number.isFinite(end) && end < start - 0.1 * Math.abs(start);
  return { name: checkFit.title, passed, detail: `loss ${fmt(start)} → ${fmt(end)} (SGD, lr ${FIT_LR}, on the head's parameters and its input; passed below 90% of the start)` };
});
