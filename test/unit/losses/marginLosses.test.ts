import * as tf from '@tensorflow/tfjs-core';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { arcFaceHead, arcFaceLogits } from '../../../src/core/losses/arcFace';
import { createHead } from '../../../src/core/losses';
import { ParamStore } from '../../../src/core/nn/params';
import { Rng } from '../../../src/core/util/rng';
import { assertClose, numericGrad, randomValues, useCpu } from '../helpers/tfTest';

before(useCpu);

const log1pExp = (x: number) => Math.log(1 + Math.exp(x));
const labels = (ys: number[]) => tf.tensor1d(ys, 'int32');

test('ArcFace by hand: f=[3,4], W=[[1,0],[0,2]] → cos=[0.6,0.8]; s=10, m=0.5, y=0 → target cos(acos 0.6 + 0.5), scores = plain cosines', () => {
  const store = new ParamStore(new Rng(1));
  const head = arcFaceHead(store, 2, 2, { s: 10, m: 0.5 });
  store.params[0].variable.assign(
    tf.tensor2d([
      [1, 0],
      [0, 2],
    ]),
  );
  const out = head.train(tf.tensor2d([[3, 4]]), labels([0]));
  const target = Math.cos(Math.acos(0.6) + 0.5); // 0.6·cos 0.5 − 0.8·sin 0.5 = 0.14300…
  assert.ok(Math.abs(target - 0.143008) < 1e-5);
  assert.ok(Math.abs(out.loss.dataSync()[0] - log1pExp(10 * 0.8 - 10 * target)) < 1e-5, `${out.loss.dataSync()[0]}`);
  assertClose(out.scores.dataSync(), [0.6, 0.8], 1e-6, 'cosines');
});

test('ArcFace past the threshold th = cos(π − m): the target becomes cos θ − sin(π − m)·m; non-targets keep s·cos θ', () => {
  const m = 0.5;
  assert.ok(-0.95 < Math.cos(Math.PI - m)); // θ + m > π here
  const logits = arcFaceLogits(
    tf.tensor2d([
      [-0.95, 0.3],
      [0.2, -0.95],
    ]),
    labels([0, 0]),
    { s: 2, m },
  ).dataSync();
  assertClose(logits, [2 * (-0.95 - Math.sin(Math.PI - m) * m), 0.6, 2 * Math.cos(Math.acos(0.2) + m), -1.9], 1e-5, 'logits');
});

test('ArcFace easy margin: cos(θ + m) where cos θ > 0, the plain cosine elsewhere', () => {
  const logits = arcFaceLogits(
    tf.tensor2d([
      [0.6, 0.1],
      [-0.2, 0.1],
    ]),
    labels([0, 0]),
    { s: 1, m: 0.5, easyMargin: true },
  ).dataSync();
  assertClose(logits, [Math.cos(Math.acos(0.6) + 0.5), 0.1, -0.2, 0.1], 1e-5, 'logits');
});

test('ArcFace target logit falls monotonically as θ goes from 0 to π (what the threshold is for), and lies below cos θ', () => {
  const cos = Array.from({ length: 201 }, (_, i) => 1 - i / 100); // 1 … −1
  for (const m of [0.2, 0.5, 1.0]) {
    const rows = cos.flatMap((c) => [c, 0]); // a second class: oneHot needs two
    const target = arcFaceLogits(tf.tensor2d(rows, [cos.length, 2]), labels(cos.map(() => 0)), { s: 1, m })
      .dataSync()
      .filter((_, i) => i % 2 === 0);
    for (let i = 1; i < cos.length; i++) assert.ok(target[i] < target[i - 1], `m=${m}: cos ${cos[i - 1]} → ${cos[i]}: ${target[i - 1]} → ${target[i]}`);
    for (let i = 0; i < cos.length; i++) assert.ok(target[i] <= cos[i] + 1e-6, `m=${m}: margin lowers the target at cos ${cos[i]}`);
  }
});

test('ArcFace gradient wrt features matches finite differences (threshold and easy margin)', () => {
  for (const easyMargin of [false, true]) {
    const store = new ParamStore(new Rng(2));
    const head = arcFaceHead(store, 5, 4, { s: 8, m: 0.5, easyMargin });
    const y = labels([0, 3, 2]);
    const f = (x: tf.Tensor) => head.train(x as tf.Tensor2D, y).loss;
    const x0 = randomValues(15, 7, 1);
    assertClose(
      tf
        .grad(f)(tf.tensor2d(x0, [3, 5]))
        .dataSync(),
      numericGrad(f, x0, [3, 5], 1e-2),
      5e-3,
      `grad (easy margin ${easyMargin})`,
    );
  }
});

test('CosFace is AM-Softmax: same parameters from the same seed, same loss, scores and gradient', () => {
  const x = tf.tensor2d(randomValues(24, 3, 1), [4, 6]);
  const y = labels([0, 1, 2, 1]);
  const run = (name: 'cosface' | 'am-softmax') => {
    const store = new ParamStore(new Rng(5));
    const head = createHead({ name, s: 7.5, m: 0.35 }, store, 6, 3, 1);
    const out = head.train(x, y);
    const grad = tf.grad((f) => head.train(f as tf.Tensor2D, y).loss)(x);
    return { loss: out.loss.dataSync()[0], scores: [...out.scores.dataSync()], grad: [...grad.dataSync()], names: store.params.map((p) => p.name) };
  };
  const cosface = run('cosface');
  assert.deepEqual(cosface, run('am-softmax'));
  assert.ok(cosface.loss > 0);
});

test('NormFace by hand: f=[3,4], W=[[1,0],[0,2]] → cos=[0.6,0.8]; s=10, y=0 → loss log(1+e^2), no margin', () => {
  const store = new ParamStore(new Rng(1));
  const head = createHead({ name: 'normface', s: 10 }, store, 2, 2, 1);
  store.params[0].variable.assign(
    tf.tensor2d([
      [1, 0],
      [0, 2],
    ]),
  );
  const out = head.train(tf.tensor2d([[3, 4]]), labels([0]));
  assert.ok(Math.abs(out.loss.dataSync()[0] - log1pExp(2)) < 1e-5, `${out.loss.dataSync()[0]}`);
  assertClose(head.outputs(tf.tensor2d([[3, 4]])).before.dataSync(), [6, 8], 1e-5, 'outputs = s·cos');
});
