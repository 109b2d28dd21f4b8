import * as tf from '@tensorflow/tfjs-core';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { scaledBnHead } from '../../../src/core/losses/scaledBn';
import { batchNormTrain, BatchNormState } from '../../../src/core/nn/batchNorm';
import { ParamStore } from '../../../src/core/nn/params';
import { Rng } from '../../../src/core/util/rng';
import { assertClose, numericGrad, randomValues, useCpu } from '../helpers/tfTest';

before(useCpu);

/** A scaled-BN head whose linear layer is the identity, so features are the logits z. */
function identityHead(m: number, evalMode?: 'running' | 'batch' | 'raw') {
  const store = new ParamStore(new Rng(1));
  const head = scaledBnHead(store, 2, 2, { m, eval: evalMode });
  store.params.find((p) => p.name === 'fc.weight')!.variable.assign(tf.eye(2));
  store.params.find((p) => p.name === 'fc.bias')!.variable.assign(tf.zeros([2]));
  return { store, head };
}

test('scaled BN by hand: z=[[1,2],[3,0]] → per-class ±1 → ẑ = 0.9·[[−1,1],[1,−1]], loss log(1+e^1.8)', () => {
  const { head } = identityHead(0.9);
  const out = head.train(
    tf.tensor2d([
      [1, 2],
      [3, 0],
    ]),
    tf.tensor1d([0, 1], 'int32'),
  );
  const s = 0.9 / Math.sqrt(1 + 1e-5);
  assertClose(out.scores.dataSync(), [-s, s, s, -s], 1e-6, 'ẑ');
  assert.ok(Math.abs(out.loss.dataSync()[0] - Math.log(1 + Math.exp(2 * s))) < 1e-5);
});

test('scaled BN updates running statistics with momentum 0.1 and the unbiased variance', () => {
  const { store, head } = identityHead(1);
  head.train(
    tf.tensor2d([
      [1, 2],
      [3, 0],
      [5, 1],
    ]),
    tf.tensor1d([0, 1, 0], 'int32'),
  );
  // class 0: 1,3,5 → mean 3, unbiased var 4; class 1: 2,0,1 → mean 1, unbiased var 1
  assertClose(store.buffers.get('logit_bn.running_mean')!.dataSync(), [0.3, 0.1], 1e-6, 'running mean');
  assertClose(store.buffers.get('logit_bn.running_var')!.dataSync(), [0.9 + 0.4, 0.9 + 0.1], 1e-6, 'running var');
});

test('scaled BN evaluation modes: running statistics, batch statistics, raw logits', () => {
  const z = tf.tensor2d([
    [1, 2],
    [3, 0],
  ]);
  const y = tf.tensor1d([0, 1], 'int32');
  const running = identityHead(2, 'running');
  running.store.buffers.get('logit_bn.running_mean')!.assign(tf.tensor1d([1, 1]));
  running.store.buffers.get('logit_bn.running_var')!.assign(tf.tensor1d([4, 0.25]));
  const r = 2 / Math.sqrt(4 + 1e-5);
  const q = 2 / Math.sqrt(0.25 + 1e-5);
  assertClose(running.head.evaluate(z, y).scores.dataSync(), [0, q, 2 * r, -q], 1e-5, 'running');
  const b = 2 / Math.sqrt(1 + 1e-5);
  assertClose(identityHead(2, 'batch').head.evaluate(z, y).scores.dataSync(), [-b, b, b, -b], 1e-5, 'batch');
  assertClose(identityHead(2, 'raw').head.evaluate(z, y).scores.dataSync(), [1, 2, 3, 0], 1e-6, 'raw');
  // Evaluation must not move the running statistics.
  assertClose(running.store.buffers.get('logit_bn.running_mean')!.dataSync(), [1, 1], 0, 'unchanged');
});

test('scaled BN argmax can differ from the raw logits: the eval mode matters', () => {
  const { store, head } = identityHead(1, 'running');
  store.buffers.get('logit_bn.running_mean')!.assign(tf.tensor1d([0, 5]));
  const scores = head.evaluate(tf.tensor2d([[1, 2]]), tf.tensor1d([0], 'int32')).scores;
  assert.equal(tf.argMax(scores, 1).dataSync()[0], 0); // raw argmax would be class 1
});

function bnState(c: number): BatchNormState {
  return { runningMean: tf.variable(tf.zeros([c]), false), runningVar: tf.variable(tf.ones([c]), false), momentum: 0.1, eps: 1e-5 };
}

test('BN hand-written gradient matches finite differences (x, γ, β) on NHWC input', () => {
  const shape = [2, 3, 2, 3];
  const x0 = randomValues(36, 9, 2);
  const w = tf.tensor(randomValues(36, 10, 1), shape);
  const gamma = tf.tensor1d([0.5, 1.5, -1]);
  const beta = tf.tensor1d([0.1, 0, -0.2]);
  const state = bnState(3);
  const f = (x: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(batchNormTrain(x, state, gamma, beta), w));
  assertClose(tf.grad(f)(tf.tensor(x0, shape)).dataSync(), numericGrad(f, x0, shape, 1e-2), 1e-2, 'dx');
  const [dg, db] = tf.grads((g: tf.Tensor, b: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(batchNormTrain(tf.tensor(x0, shape), state, g, b), w)))([gamma, beta]);
  const fg = (g: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(batchNormTrain(tf.tensor(x0, shape), state, g, beta), w));
  const fb = (b: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(batchNormTrain(tf.tensor(x0, shape), state, gamma, b), w));
  assertClose(dg.dataSync(), numericGrad(fg, gamma.dataSync() as Float32Array, [3]), 1e-2, 'dγ');
  assertClose(db.dataSync(), numericGrad(fb, beta.dataSync() as Float32Array, [3]), 1e-2, 'dβ');
});

test('BN hand-written gradient equals tfjs autodiff of the composed formula', () => {
  const shape = [4, 5];
  const x = tf.tensor(randomValues(20, 4, 3), shape);
  const w = tf.tensor(randomValues(20, 5, 1), shape);
  const ours = tf.grad((t: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(batchNormTrain(t, bnState(5), null, null), w)))(x);
  const composed = tf.grad((t: tf.Tensor) => {
    const { mean, variance } = tf.moments(t, [0]);
    return tf.sum<tf.Scalar>(tf.mul(tf.div(tf.sub(t, mean), tf.sqrt(tf.add(variance, 1e-5))), w));
  })(x);
  assertClose(ours.dataSync(), composed.dataSync(), 1e-4, 'dx');
});

test('scaled-BN head gradient wrt features matches finite differences', () => {
  const store = new ParamStore(new Rng(4));
  const head = scaledBnHead(store, 3, 4, { m: 0.9 });
  const y = tf.tensor1d([0, 1, 3, 2, 1], 'int32');
  const f = (x: tf.Tensor) => head.train(x as tf.Tensor2D, y).loss;
  const x0 = randomValues(15, 8, 1);
  assertClose(
    tf
      .grad(f)(tf.tensor2d(x0, [5, 3]))
      .dataSync(),
    numericGrad(f, x0, [5, 3], 1e-2),
    1e-2,
    'grad',
  );
});
