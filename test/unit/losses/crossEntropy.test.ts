import * as tf from '@tensorflow/tfjs-core';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { softmaxCrossEntropy } from '../../../src/core/losses/crossEntropy';
import { assertClose, numericGrad, randomValues, useCpu } from '../helpers/tfTest';

before(useCpu);

// The paper's example [1,1,2] → class 3. It prints 0.6769 and 0.8481; the formula it writes,
// e²/(e¹+e¹+e²), is 0.5761 and e⁴/(e²+e²+e⁴) is 0.7870, which is what we check.
test('CE of the paper example [1,1,2] (target class 3) is −log(e²/(e+e+e²)); doubling W raises p to e⁴/(2e²+e⁴)', () => {
  const y = tf.tensor1d([2], 'int32');
  const loss = softmaxCrossEntropy(tf.tensor2d([[1, 1, 2]]), y).dataSync()[0];
  assert.ok(Math.abs(Math.exp(-loss) - 0.576117) < 1e-5);
  const doubled = softmaxCrossEntropy(tf.tensor2d([[2, 2, 4]]), y).dataSync()[0];
  assert.ok(Math.abs(Math.exp(-doubled) - 0.786986) < 1e-5);
});

test('CE is the mean over the batch', () => {
  const loss = softmaxCrossEntropy(
    tf.tensor2d([
      [0, 0],
      [2, 0],
    ]),
    tf.tensor1d([0, 1], 'int32'),
  ).dataSync()[0];
  const expected = (Math.log(2) + Math.log(1 + Math.exp(2))) / 2;
  assert.ok(Math.abs(loss - expected) < 1e-6);
});

test('CE gradient is (p − onehot)/N (paper eq. 8) and matches finite differences', () => {
  const z = randomValues(12, 3, 2);
  const y = tf.tensor1d([1, 0, 3], 'int32');
  const f = (x: tf.Tensor) => softmaxCrossEntropy(x as tf.Tensor2D, y);
  const g = tf
    .grad(f)(tf.tensor2d(z, [3, 4]))
    .dataSync();
  const p = tf.softmax(tf.tensor2d(z, [3, 4])).dataSync();
  const labels = [1, 0, 3];
  const expected = Array.from(p, (v, i) => (v - (i % 4 === labels[Math.floor(i / 4)] ? 1 : 0)) / 3);
  assertClose(g, expected, 1e-6, 'analytic');
  assertClose(g, numericGrad(f, z, [3, 4]), 2e-3, 'numeric');
});
