/**
 * Check Loss on the way a loss trains: it stays finite where scores reach their extremes, and SGD on one
 * batch lowers it and fits the batch (the argmax of the scores becomes the labels).
 */
import * as tf from '@tensorflow/tfjs-core';
import { asMatrix, fmt, lossValue, named, trainables, type Setup } from './checkSetup';

const FIT_STEPS = 50;
const FIT_MAX_STEPS = 300;
const FIT_LR = 0.1;
const PUSH_STEPS = 50;

/** Loss, gradients and scores at the current values: which of them are not finite. */
function nonFinite({ head, features, labels, store }: Setup): { loss: number; problems: string[]; scores: [number, number] } {
  return tf.tidy(() => {
    const vars = [features, ...store.params.map((p) => p.variable)];
    const { value, grads } = tf.variableGrads(() => head.train(asMatrix(features), labels).loss, vars);
    const loss = value.dataSync()[0];
    const scores = head.evaluate(asMatrix(features), labels).scores;
    const bad = Object.entries(grads).filter(([, g]) => tf.all(tf.isFinite(g)).dataSync()[0] !== 1);
    const problems = [
      ...(Number.isFinite(loss) ? [] : [`loss ${loss}`]),
      ...(bad.length ? [`gradient of ${bad.map(([name]) => (name === features.name ? 'the input' : name.replace(/^net\d+\//, ''))).join(', ')} not finite`] : []),
      ...(tf.all(tf.isFinite(scores)).dataSync()[0] === 1 ? [] : ['scores not finite']),
    ];
    return { loss, problems, scores: [tf.min(scores).dataSync()[0], tf.max(scores).dataSync()[0]] };
  });
}

const scaleAll = (vars: tf.Variable[], by: number) => tf.tidy(() => vars.forEach((v) => v.assign(tf.mul(v, by))));

/**
 * Turns each input row, at its own norm, towards raising (dir 1) or lowering (−1) its label's score:
 * for a cosine head the target cosine goes to ±1, for a linear head the row turns to ±its class weight.
 */
function pushTargetScores({ head, features, labels }: Setup, dir: 1 | -1): void {
  for (let step = 0; step < PUSH_STEPS; step++) {
    tf.tidy(() => {
      const f = asMatrix(features);
      const norms = tf.norm(f, 'euclidean', 1, true);
      const target = (x: tf.Tensor) => {
        const scores = head.train(x as tf.Tensor2D, labels).scores;
        return tf.sum(tf.mul(scores, tf.oneHot(labels, scores.shape[1])));
      };
      const g = tf.grad(target)(f);
      const moved = tf.add(f, tf.mul(g, tf.mul(tf.square(norms), dir)));
      const back = tf.mul(tf.div(moved, tf.maximum(tf.norm(moved, 'euclidean', 1, true), 1e-30)), norms);
      features.assign(tf.where(tf.isFinite(back), back, f));
    });
  }
}

interface Probe {
  what: string;
  apply(s: Setup): void;
}

export const EXTREME_PROBES: Probe[] = [
  { what: 'input ×1e3', apply: (s) => scaleAll([s.features], 1e3) },
  {
    what: 'weights ×1e3',
    apply: (s) =>
      scaleAll(
        s.store.params.map((p) => p.variable),
        1e3,
      ),
  },
  { what: 'target scores pushed up (cosines → 1)', apply: (s) => pushTargetScores(s, 1) },
  { what: 'target scores pushed down (cosines → −1)', apply: (s) => pushTargetScores(s, -1) },
];

/** One probe: `probe.apply` on a fresh setup, then loss, gradients and scores must be finite. */
export function probeExtreme(s: Setup, probe: Probe): { what: string; loss: number; problems: string[]; scores: [number, number] } {
  probe.apply(s);
  return { what: probe.what, ...nonFinite(s) };
}

export const EXTREME_TITLE = 'finite loss, gradients and scores at extremes (input ×1e3, weights ×1e3, target scores pushed to ±1)';

export const checkFalls = named(`loss falls when one batch is fitted for ${FIT_STEPS} steps`, (s) => {
  const { start, end } = fit(s, FIT_STEPS, false);
  const passed = Number.isFinite(start) && Number.isFinite(end) && end < start - 0.1 * Math.abs(start);
  return { name: checkFalls.title, passed, detail: `loss ${fmt(start)} → ${fmt(end)} (SGD, lr ${FIT_LR}, on the head's parameters and its input; passed below 90% of the start)` };
});

export const checkFitted = named('one batch is fitted: the argmax of the scores becomes the labels', (s) => {
  const { start, end, steps, correct } = fit(s, FIT_MAX_STEPS, true);
  const passed = correct === s.n;
  return {
    name: checkFitted.title,
    passed,
    detail: passed
      ? `all ${s.n} samples predicted right after ${steps} SGD steps (loss ${fmt(start)} → ${fmt(end)})`
      : `${correct} of ${s.n} samples predicted right after ${steps} SGD steps (loss ${fmt(start)} → ${fmt(end)}): a loss that trains towards the labels fits them; does it use the labels, and the right ones?`,
  };
});

/** How many argmaxes of the evaluation scores are the labels. */
const correctCount = ({ head, features, labels }: Setup) => tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(head.evaluate(asMatrix(features), labels).scores, 1), labels), 'int32')).dataSync()[0]);

/** SGD on the head's parameters and its input; with `untilFitted`, stops once every sample is predicted right. */
function fit(s: Setup, maxSteps: number, untilFitted: boolean): { start: number; end: number; steps: number; correct: number } {
  const vars = trainables(s).map((x) => x.v);
  const optimizer = tf.train.sgd(FIT_LR);
  const start = lossValue(s);
  let steps = 0;
  let correct = correctCount(s);
  while (steps < maxSteps && !(untilFitted && correct === s.n)) {
    tf.tidy(() => void optimizer.minimize(() => s.head.train(asMatrix(s.features), s.labels).loss, false, vars));
    steps++;
    if (untilFitted) correct = correctCount(s);
  }
  optimizer.dispose();
  // Counted before the last loss: a train call may move a BN's running statistics, which evaluate uses.
  correct = correctCount(s);
  return { start, end: lossValue(s), steps, correct };
}
