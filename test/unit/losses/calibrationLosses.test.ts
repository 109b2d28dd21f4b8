import * as tf from '@tensorflow/tfjs-core';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { centerLossHead, centerTerm, updatedCentres } from '../../../src/core/losses/centerLoss';
import { softmaxCrossEntropy } from '../../../src/core/losses/crossEntropy';
import { focalHead, focalLoss } from '../../../src/core/losses/focal';
import { labelSmoothingCrossEntropy, labelSmoothingHead } from '../../../src/core/losses/labelSmoothing';
import { ParamStore } from '../../../src/core/nn/params';
import { Rng } from '../../../src/core/util/rng';
import { assertClose, numericGrad, randomValues, useCpu } from '../helpers/tfTest';

before(useCpu);

const labels = (ys: number[]) => tf.tensor1d(ys, 'int32');
/** log softmax of one row, in float64. */
const logSoftmax = (z: number[]) => {
  const lse = Math.log(z.reduce((a, v) => a + Math.exp(v), 0));
  return z.map((v) => v - lse);
};
const scalar = (t: tf.Tensor) => t.dataSync()[0];

test('label smoothing by hand: z=[1,2,3], y=2, ε=0.1 → −Σ q·log p with q = [ε/3, ε/3, 0.9 + ε/3]; ε=0 is CE', () => {
  const lp = logSoftmax([1, 2, 3]);
  const q = [0.1 / 3, 0.1 / 3, 0.9 + 0.1 / 3];
  const expected = -q.reduce((a, qc, c) => a + qc * lp[c], 0);
  const z = tf.tensor2d([[1, 2, 3]]);
  assert.ok(Math.abs(scalar(labelSmoothingCrossEntropy(z, labels([2]), 0.1)) - expected) < 1e-6);
  assert.ok(Math.abs(scalar(labelSmoothingCrossEntropy(z, labels([2]), 0)) - scalar(softmaxCrossEntropy(z, labels([2])))) < 1e-7);
});

test('label smoothing gradient wrt logits is (p − q)/N, and the head matches finite differences', () => {
  const z0 = randomValues(8, 4, 2);
  const y = labels([1, 3]);
  const g = tf
    .grad((z) => labelSmoothingCrossEntropy(z as tf.Tensor2D, y, 0.2))(tf.tensor2d(z0, [2, 4]))
    .dataSync();
  const expected = [0, 1].flatMap((i) => {
    const lp = logSoftmax([...z0.slice(i * 4, i * 4 + 4)]);
    return lp.map((l, c) => (Math.exp(l) - ((c === [1, 3][i] ? 0.8 : 0) + 0.2 / 4)) / 2);
  });
  assertClose(g, expected, 1e-5, 'dL/dz');
  const head = labelSmoothingHead(new ParamStore(new Rng(3)), 5, 4, 0.1);
  const f = (x: tf.Tensor) => head.train(x as tf.Tensor2D, y).loss;
  const x0 = randomValues(10, 9, 1);
  assertClose(
    tf
      .grad(f)(tf.tensor2d(x0, [2, 5]))
      .dataSync(),
    numericGrad(f, x0, [2, 5], 1e-2),
    5e-3,
    'grad wrt features',
  );
});

test('focal loss by hand: z=[1,2,3], y=0, γ=2 → −(1 − p₀)²·log p₀; γ=0 is CE; per-class α weights each sample by its class', () => {
  const lp = logSoftmax([1, 2, 3]);
  const z = tf.tensor2d([[1, 2, 3]]);
  assert.ok(Math.abs(scalar(focalLoss(z, labels([0]), 2)) - -((1 - Math.exp(lp[0])) ** 2) * lp[0]) < 1e-6);
  assert.ok(Math.abs(scalar(focalLoss(z, labels([0]), 0)) - scalar(softmaxCrossEntropy(z, labels([0])))) < 1e-7);
  const two = tf.tensor2d([
    [1, 2, 3],
    [1, 2, 3],
  ]);
  const perSample = [0, 2].map((y) => -((1 - Math.exp(lp[y])) ** 2) * lp[y]);
  assert.ok(Math.abs(scalar(focalLoss(two, labels([0, 2]), 2, [0.25, 1, 0.5])) - (0.25 * perSample[0] + 0.5 * perSample[1]) / 2) < 1e-6);
  assert.ok(Math.abs(scalar(focalLoss(two, labels([0, 2]), 2, 0.25)) - (0.25 * (perSample[0] + perSample[1])) / 2) < 1e-6);
});

test('focal loss down-weights well-classified samples: the loss ratio to CE is (1 − p_t)^γ', () => {
  const z = tf.tensor2d([[4, 0, 0]]);
  const pt = Math.exp(logSoftmax([4, 0, 0])[0]);
  const ratio = scalar(focalLoss(z, labels([0]), 2)) / scalar(softmaxCrossEntropy(z, labels([0])));
  assert.ok(Math.abs(ratio - (1 - pt) ** 2) < 1e-5, `${ratio}`);
});

test('focal gradient matches finite differences (γ = 2, γ = 0.5 with α per class), and stays finite on extreme logits', () => {
  for (const [gamma, alpha] of [
    [2, undefined],
    [0.5, [0.5, 1, 2, 1]],
  ] as const) {
    const head = focalHead(new ParamStore(new Rng(4)), 5, 4, gamma, alpha);
    const y = labels([0, 3, 2]);
    const f = (x: tf.Tensor) => head.train(x as tf.Tensor2D, y).loss;
    const x0 = randomValues(15, 11, 1);
    assertClose(
      tf
        .grad(f)(tf.tensor2d(x0, [3, 5]))
        .dataSync(),
      numericGrad(f, x0, [3, 5], 1e-2),
      5e-3,
      `grad γ=${gamma}`,
    );
  }
  for (const gamma of [0.5, 2]) {
    const g = tf
      .grad((z) => focalLoss(z as tf.Tensor2D, labels([0, 1]), gamma))(
        tf.tensor2d([
          [200, -200, 0],
          [200, -200, 0],
        ]),
      )
      .dataSync();
    assert.ok([...g].every(Number.isFinite), `γ=${gamma}: ${[...g]}`);
  }
});

test('focal head refuses per-class α of the wrong length, naming both counts', () => {
  assert.throws(() => focalHead(new ParamStore(new Rng(1)), 3, 4, 2, [1, 1]), /alpha has 2 weights but the dataset has 4 classes/);
});

test('center term by hand: f=[[1,2],[3,4]], c=[[0,0],[1,1]], y=[1,0], λ=0.1 → 0.1/2 · (1 + 25)/2 = 0.65', () => {
  const value = scalar(
    centerTerm(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([
        [0, 0],
        [1, 1],
      ]),
      labels([1, 0]),
      0.1,
    ),
  );
  assert.ok(Math.abs(value - 0.65) < 1e-6, `${value}`);
});

test('centre update by hand (Wen et al. eq. 4, α = 0.5): a class in the batch moves towards its features, an absent class stays', () => {
  const centres = updatedCentres(
    tf.tensor2d([
      [0, 0],
      [0, 0],
      [5, 5],
    ]),
    tf.tensor2d([
      [1, 0],
      [3, 0],
      [0, 2],
    ]),
    labels([0, 0, 1]),
    0.5,
  );
  // class 0: Δ = (2·0 − [4,0]) / 3 → c = [2/3, 0]; class 1: Δ = (0 − [0,2]) / 2 → c = [0, 0.5]; class 2: absent
  assertClose(centres.dataSync(), [2 / 3, 0, 0, 0.5, 5, 5], 1e-6, 'centres');
});

test('center loss head: CE + centre term; train() updates the centres after using them, evaluate() does not; gradient matches finite differences', () => {
  const store = new ParamStore(new Rng(6));
  const head = centerLossHead(store, 3, 2, { lambda: 0.2, alpha: 0.5 });
  const centres = store.buffers.get('center.centres')!;
  const x = tf.tensor2d([
    [1, 0, 2],
    [0, 1, -1],
    [2, 2, 0],
  ]);
  const y = labels([0, 1, 0]);
  const ce = scalar(softmaxCrossEntropy(head.evaluate(x, y).scores, y));
  // Centres start at 0: the term is λ/2 · mean ‖f‖² = 0.1 · (5 + 2 + 8) / 3.
  assert.ok(Math.abs(scalar(head.evaluate(x, y).loss) - (ce + 0.5)) < 1e-5);
  assert.ok(Math.abs(scalar(head.train(x, y).loss) - (ce + 0.5)) < 1e-5, 'train uses the centres before its update');
  // class 0: rows 0 and 2, Δ = (0 − [3,2,2]) / 3, c = −0.5·Δ; class 1: row 1, Δ = (0 − [0,1,−1]) / 2
  assertClose(centres.dataSync(), [0.5, 1 / 3, 1 / 3, 0, 0.25, -0.25], 1e-6, 'centres after one step');
  const before = [...centres.dataSync()];
  head.evaluate(x, y);
  assert.deepEqual([...centres.dataSync()], before, 'evaluate leaves the centres alone');
  const f = (v: tf.Tensor) => head.evaluate(v as tf.Tensor2D, y).loss;
  const x0 = randomValues(9, 13, 1);
  assertClose(
    tf
      .grad(f)(tf.tensor2d(x0, [3, 3]))
      .dataSync(),
    numericGrad(f, x0, [3, 3], 1e-2),
    5e-3,
    'grad wrt features',
  );
});

test('center loss in a training step: variableGrads through train() (which assigns the centres) gives the finite-difference gradient of the weights', () => {
  const store = new ParamStore(new Rng(7));
  const head = centerLossHead(store, 3, 2, { lambda: 0.5 });
  const x = tf.tensor2d([
    [1, 0, 2],
    [0, 1, -1],
  ]);
  const y = labels([0, 1]);
  const weight = store.params.find((p) => p.name === 'fc.weight')!.variable;
  const w0 = Float32Array.from(weight.dataSync());
  const lossAt = (w: tf.Tensor) => {
    weight.assign(w);
    return head.evaluate(x, y).loss;
  };
  const expected = numericGrad(lossAt, w0, [3, 2], 1e-2);
  weight.assign(tf.tensor2d(w0, [3, 2]));
  const { grads } = tf.variableGrads(() => head.train(x, y).loss, [weight]);
  assertClose(grads[weight.name].dataSync(), expected, 5e-3, 'dL/dW');
});
