// Check Loss: a correct module passes every check; a host-side (non-differentiable) computation fails the
// gradient check, a naive softmax fails on extreme logits, a module that does not build fails to load,
// a weight the store does not know is named. test/unit/losses/plantedLosses.test.ts has one planted
// defect per check.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLoss, formatCheckResults } from '../../../src/core/losses/checkLoss';
import { EXAMPLE_LOSS_MODULE } from '../../../src/core/losses/customTemplate';
import { useCpu } from '../helpers/tfTest';

before(useCpu);

const dir = mkdtempSync(path.join(tmpdir(), 'losslab-check-'));
function write(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return file;
}

/** A linear head; `loss` is the body of a function of the logits z and labels y. */
const linearHead = (loss: string) => `import * as tf from '@tensorflow/tfjs-core';
export default function createLoss({ store, featureDim, numClasses }: { store: any; featureDim: number; numClasses: number }) {
  const init = Float32Array.from({ length: featureDim * numClasses }, (_, i) => Math.sin(i + 1) * 0.3);
  const w = store.addParam('fc.weight', [featureDim, numClasses], init, true);
  const lossOf = (z: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar => {
${loss}
  };
  return {
    train(f: tf.Tensor2D, y: tf.Tensor1D) {
      const z = tf.matMul(f, w) as tf.Tensor2D;
      return { loss: lossOf(z, y), scores: z };
    },
    classWeights: () => w,
  };
}
`;

const byName = (results: ReturnType<typeof checkLoss>) => Object.fromEntries(results.map((r) => [r.name.split(' ')[0], r]));

test('a correct cross-entropy module passes every check, with its numbers', () => {
  const file = write(
    'ce.ts',
    linearHead(`    const k = z.shape[1];
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(z), tf.oneHot(y, k)), 1))) as tf.Scalar;`),
  );
  const results = checkLoss(file, {});
  assert.ok(
    results.every((r) => r.passed),
    formatCheckResults(results),
  );
  assert.equal(results.length, 7);
  assert.match(byName(results).gradients.detail, /^0 of 48 coordinates off \(tolerance per coordinate .*relative error \S+, \S+ × its tolerance$/);
  assert.match(byName(results).loss.detail, /loss \S+ → \S+/);
  assert.match(byName(results).one.detail, /^all 8 samples predicted right after \d+ SGD steps/);
  assert.match(byName(results).scores.detail, /train scores \[8, 4\].*classWeights \[6, 4\]/);
  assert.equal(byName(results).variables.detail, 'registered: fc.weight [6, 4]');
});

test('a loss whose log-normaliser is computed on the host (dataSync, re-wrapped as a constant) fails the gradient check', () => {
  const file = write(
    'host.ts',
    linearHead(`    const k = z.shape[1];
    const values = z.dataSync();
    const lse = new Float32Array(z.shape[0]);
    for (let i = 0; i < z.shape[0]; i++) {
      let m = -Infinity;
      for (let c = 0; c < k; c++) m = Math.max(m, values[i * k + c]);
      let s = 0;
      for (let c = 0; c < k; c++) s += Math.exp(values[i * k + c] - m);
      lse[i] = m + Math.log(s);
    }
    const picked = tf.sum(tf.mul(z, tf.oneHot(y, k)), 1);
    return tf.mean(tf.sub(tf.tensor1d(lse), picked)) as tf.Scalar;`),
  );
  const results = byName(checkLoss(file, {}));
  assert.equal(results.gradients.passed, false, results.gradients.detail);
  const rel = Number(/relative error ([^,]+),/.exec(results.gradients.detail)?.[1]);
  assert.ok(rel > 0.1, results.gradients.detail);
  assert.equal(results.finite.passed, true, 'the host-side computation is stable');
});

test('a naive softmax (exp / sum exp) gives a NaN on extreme logits and fails that check', () => {
  const file = write(
    'naive.ts',
    linearHead(`    const k = z.shape[1];
    const e = tf.exp(z);
    const p = tf.div(e, tf.sum(e, 1, true));
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.log(p), tf.oneHot(y, k)), 1))) as tf.Scalar;`),
  );
  const results = byName(checkLoss(file, {}));
  assert.equal(results.finite.passed, false, results.finite.detail);
  assert.match(results.finite.detail, /loss (NaN|Infinity)|NOT finite/);
  assert.equal(results.gradients.passed, true, 'on ordinary inputs the gradient is right');
});

test('a module with a syntax error fails to load, with its file and line', () => {
  const file = write('broken.ts', 'export default function createLoss() {\n  return {\n    train(f, y) { return f +; },\n  };\n}\n');
  const results = checkLoss(file, {});
  assert.equal(results.length, 1);
  assert.equal(results[0].passed, false);
  assert.ok(results[0].detail.startsWith(`${file}:3:`), results[0].detail);
});

test("the example module that 'New Loss' writes passes every check, and its options default from its optionsSchema", () => {
  const file = write('focal.ts', EXAMPLE_LOSS_MODULE);
  const results = checkLoss(file, { gamma: 2 });
  assert.ok(
    results.every((r) => r.passed),
    formatCheckResults(results),
  );
  assert.ok(checkLoss(file, {}).every((r) => r.passed));
  assert.match(checkLoss(file, { gamma: -1 })[0].detail, /options\.gamma must be >= 0/);
});

test('a weight made with tf.variable and not registered with the store is named, and what it is', () => {
  const file = write(
    'unregistered.ts',
    `import * as tf from '@tensorflow/tfjs-core';
export default function createLoss({ featureDim, numClasses }: { featureDim: number; numClasses: number }) {
  const w = tf.variable(tf.randomNormal([featureDim, numClasses], 0, 0.1, 'float32', 3), true, 'myhead.w');
  return {
    train(f: tf.Tensor2D, y: tf.Tensor1D) {
      const z = tf.matMul(f, w) as tf.Tensor2D;
      return { loss: tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(z), tf.oneHot(y, numClasses)), 1))) as tf.Scalar, scores: z };
    },
    classWeights: () => w,
  };
}
`,
  );
  const results = byName(checkLoss(file, {}));
  assert.equal(results.variables.passed, false);
  assert.match(results.variables.detail, /^'myhead\.w' \[6, 4\] \(the classWeights tensor\) made with tf\.variable but not registered with store\.addParam/);
  assert.match(results.variables.detail, /\(registered: none\)$/);
});
