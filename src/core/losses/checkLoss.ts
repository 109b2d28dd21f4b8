/**
 * Check Loss: checks of a custom loss module without a training run, each passed or failed with its numbers.
 * Each check runs on a fresh head (the module's createLoss with the run's seed) and a small random batch.
 *
 *  - variables registered: every tf.variable createLoss (or a first train call) makes is in the store;
 *    one that is not is never trained, decayed or checkpointed.
 *  - shapes: train and evaluate give a scalar loss and scores (N, k); outputs (N, k); classWeights (d, k) or null.
 *  - gradients: autodiff against extrapolated finite differences, per coordinate (checkGradients.ts).
 *    A loss computed partly on the host (dataSync() values re-wrapped as a constant) fails here.
 *  - extremes: loss, gradients and scores stay finite with the input ×1e3, the weights ×1e3, and the
 *    target scores pushed to their extremes (a cosine head's cosines to ±1), where naive exp overflows.
 *  - loss falls: SGD on the head's parameters and its input for 50 steps lowers the loss.
 *  - batch fitted: the same SGD makes the argmax of the scores the labels (the overfit-one-batch test):
 *    a loss that falls towards the wrong classes, or without the labels, fails here.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ParamStore } from '../nn/params';
import { Rng } from '../util/rng';
import { checkGradients } from './checkGradients';
import type { CheckResult } from './checkResults';
import { asMatrix, engineVariables, fmt, named, type Setup } from './checkSetup';
import { checkFalls, checkFitted, EXTREME_PROBES, EXTREME_TITLE, probeExtreme } from './checkTraining';
import { CustomLossError, customLossOptions, loadCustomLoss } from './customModule';
import type { LossHead } from './head';

export { formatCheckResults, type CheckResult } from './checkResults';

export interface CheckLossOptions {
  featureDim?: number;
  numClasses?: number;
  batch?: number;
  seed?: number;
}

/** tfjs' own frames fill the default 10 of a stack, hiding the module's line behind an error in an op. */
const STACK_FRAMES = 200;

const message = (e: unknown) => (e instanceof CustomLossError ? e.message : String((e as Error)?.message ?? e));

/** Runs every check on the module at `file` with the given options; a module that does not load gives one failed check. */
export function checkLoss(file: string, options: Record<string, unknown> | undefined, opts: CheckLossOptions = {}): CheckResult[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(limit, STACK_FRAMES);
  try {
    return runChecks(file, options, opts);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function runChecks(file: string, options: Record<string, unknown> | undefined, opts: CheckLossOptions): CheckResult[] {
  const d = opts.featureDim ?? 6;
  const k = opts.numClasses ?? 4;
  const n = opts.batch ?? 8;
  const seed = opts.seed ?? 1;
  let fresh: () => Setup;
  try {
    const loaded = loadCustomLoss(file);
    const validated = customLossOptions(loaded, options);
    fresh = () => {
      const rng = new Rng(seed);
      const store = new ParamStore(rng);
      const before = engineVariables();
      let head: LossHead;
      try {
        head = loaded.create({ tf, store, featureDim: d, numClasses: k, options: structuredClone(validated) }) as LossHead;
      } catch (e) {
        store.dispose();
        throw e;
      }
      const registered = new Set(store.all().map((x) => x.variable));
      const unregistered = [...engineVariables()].filter((v) => !before.has(v) && !registered.has(v));
      const f = Float32Array.from({ length: n * d }, () => rng.normal());
      const y = Int32Array.from({ length: n }, (_, i) => i % k);
      return { head, store, features: tf.variable(tf.tensor2d(f, [n, d]), true), labels: tf.tensor1d(y, 'int32'), n, k, d, unregistered };
    };
    dispose(fresh());
  } catch (e) {
    return [{ name: 'module loads', passed: false, detail: message(e) }];
  }
  const results: CheckResult[] = [{ name: 'module loads', passed: true, detail: `${file}: head created for d=${d}, k=${k}` }];
  const run = (title: string, check: () => CheckResult) => {
    try {
      results.push(check());
    } catch (e) {
      results.push({ name: title, passed: false, detail: message(e) });
    }
  };
  for (const check of [checkRegistered, checkShapes, checkGradients]) run(check.title, () => withSetup(fresh, check));
  run(EXTREME_TITLE, () => checkExtremes(fresh));
  for (const check of [checkFalls, checkFitted]) run(check.title, () => withSetup(fresh, check));
  return results;
}

function dispose(s: Setup): void {
  s.store.dispose();
  s.features.dispose();
  s.labels.dispose();
  for (const v of s.unregistered) v.dispose();
}

function withSetup<T>(fresh: () => Setup, f: (s: Setup) => T): T {
  const s = fresh();
  try {
    return f(s);
  } finally {
    dispose(s);
  }
}

const describe = (v: tf.Variable) => `${/^\d+$/.test(v.name) ? 'an unnamed variable' : `'${v.name}'`} [${v.shape.join(', ')}]${v.trainable ? '' : ' (not trainable)'}`;

const checkRegistered = named('variables registered with the store', (s) => {
  // A variable made on the first call is as unseen as one made by createLoss.
  const before = engineVariables();
  try {
    tf.tidy(() => void s.head.train(asMatrix(s.features), s.labels));
  } catch {
    // The other checks report the error; this one is about createLoss's variables.
  }
  const inTrain = [...engineVariables()].filter((v) => !before.has(v));
  s.unregistered.push(...inTrain);
  const trainable = s.unregistered.filter((v) => v.trainable);
  const params = s.store.params.map((p) => `${p.name} [${p.variable.shape.join(', ')}]`).join(', ') || 'none';
  const classWeights = classWeightsVariable(s.head);
  const where = (v: tf.Variable) => `${describe(v)}${v === classWeights ? ' (the classWeights tensor)' : ''}${inTrain.includes(v) ? ', made by train,' : ''}`;
  return {
    name: checkRegistered.title,
    passed: trainable.length === 0,
    detail: trainable.length
      ? `${trainable.map(where).join(', ')} made with tf.variable but not registered with store.addParam: the optimizer never updates it, weight decay and checkpoints miss it (registered: ${params})`
      : `registered: ${params}${s.unregistered.length ? `; not registered, not trainable: ${s.unregistered.map(where).join(', ')}` : ''}`,
  };
});

/** The variable classWeights returns, if it returns one (to say which weight an unregistered variable is). */
function classWeightsVariable(head: LossHead): tf.Variable | undefined {
  try {
    const w = tf.tidy(() => head.classWeights() ?? undefined);
    if (w instanceof tf.Variable) return w;
    w?.dispose();
  } catch {
    // The shapes check reports it.
  }
  return undefined;
}

const checkShapes = named('scores shape (N, k), classWeights (d, k)', ({ head, features, labels, n, k, d }) =>
  tf.tidy(() => {
    const f = asMatrix(features);
    const train = head.train(f, labels);
    const evaluate = head.evaluate(f, labels);
    const before = head.outputs(f).before;
    const weights = head.classWeights();
    const shape = (t: tf.Tensor) => `[${t.shape.join(', ')}]`;
    const ok = (t: tf.Tensor, rows: number) => t.rank === 2 && t.shape[0] === rows && t.shape[1] === k;
    const shapes = `train scores ${shape(train.scores)}, evaluate scores ${shape(evaluate.scores)}, outputs ${shape(before)}; expected [${n}, ${k}]`;
    const weightShapes = weights ? `classWeights ${shape(weights)}, expected [${d}, ${k}] (one column per class)` : 'classWeights none';
    return {
      name: checkShapes.title,
      passed: ok(train.scores, n) && ok(evaluate.scores, n) && ok(before, n) && (weights === null || ok(weights, d)),
      detail: `${shapes}; ${weightShapes}`,
    };
  }),
);

function checkExtremes(fresh: () => Setup): CheckResult {
  const outcomes = EXTREME_PROBES.map((probe) => withSetup(fresh, (s) => probeExtreme(s, probe)));
  const failed = outcomes.filter((o) => o.problems.length > 0);
  const show = (o: (typeof outcomes)[number]) => `${o.what}: ${o.problems.length ? o.problems.join(', ') : `loss ${fmt(o.loss)}`}, scores ${fmt(o.scores[0])} to ${fmt(o.scores[1])}`;
  return { name: EXTREME_TITLE, passed: failed.length === 0, detail: (failed.length ? failed : outcomes).map(show).join('; ') };
}
