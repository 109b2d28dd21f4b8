import * as tf from '@tensorflow/tfjs-core';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { amSoftmaxHead, additiveMarginLogits, l2Normalize } from '../../../src/core/losses/amSoftmax';
import { evenlyDistributedCentroids } from '../../../src/core/losses/centroids';
import { softmaxCrossEntropy } from '../../../src/core/losses/crossEntropy';
import { pedccHead, pedccLoss } from '../../../src/core/losses/pedcc';
import { ParamStore } from '../../../src/core/nn/params';
import { Rng } from '../../../src/core/util/rng';
import { assertClose, numericGrad, randomValues, useCpu } from '../helpers/tfTest';

before(useCpu);

const log1pExp = (x: number) => Math.log(1 + Math.exp(x));

test('AM-Softmax by hand: f=[3,4], W=[[1,0],[0,2]] → cos=[0.6,0.8]; s=10, m=0.35, y=0 → loss log(1+e^5.5), scores = plain cosines', () => {
  const store = new ParamStore(new Rng(1));
  const head = amSoftmaxHead(store, 2, 2, 10, 0.35);
  store.params[0].variable.assign(
    tf.tensor2d([
      [1, 0],
      [0, 2],
    ]),
  );
  const out = head.train(tf.tensor2d([[3, 4]]), tf.tensor1d([0], 'int32'));
  assert.ok(Math.abs(out.loss.dataSync()[0] - log1pExp(5.5)) < 1e-5);
  assertClose(out.scores.dataSync(), [0.6, 0.8], 1e-6, 'cosines');
});

test('the additive margin applies to the target cosine only', () => {
  const logits = additiveMarginLogits(tf.tensor2d([[0.5, 0.2, -0.1]]), tf.tensor1d([1], 'int32'), 7.5, 0.35).dataSync();
  assertClose(logits, [3.75, 7.5 * (0.2 - 0.35), -0.75], 1e-6, 'logits');
});

test('AM-Softmax gradient wrt features matches finite differences', () => {
  const store = new ParamStore(new Rng(2));
  const head = amSoftmaxHead(store, 5, 4, 7.5, 0.35);
  const y = tf.tensor1d([0, 3, 2], 'int32');
  const f = (x: tf.Tensor) => head.train(x as tf.Tensor2D, y).loss;
  const x0 = randomValues(15, 7, 1);
  assertClose(
    tf
      .grad(f)(tf.tensor2d(x0, [3, 5]))
      .dataSync(),
    numericGrad(f, x0, [3, 5], 1e-2),
    5e-3,
    'grad',
  );
});

test('PEDCC loss by hand: on the centroid only the AM term remains; off it the squared distance is added', () => {
  const c = tf.tensor2d([
    [1, 0],
    [-1, 0],
  ]);
  const onTarget = pedccLoss(tf.tensor2d([[1, 0]]), c, tf.tensor1d([0], 'int32'), 7.5, 0.35).loss.dataSync()[0];
  assert.ok(Math.abs(onTarget - log1pExp(-7.5 - 7.5 * 0.65)) < 1e-6);
  const off = pedccLoss(tf.tensor2d([[0, 1]]), c, tf.tensor1d([0], 'int32'), 7.5, 0.35).loss.dataSync()[0];
  assert.ok(Math.abs(off - (log1pExp(7.5 * 0.35) + 2)) < 1e-5, `${off}`);
});

test('PEDCC distance term is summed over the batch, not averaged', () => {
  const c = tf.tensor2d([
    [1, 0],
    [-1, 0],
  ]);
  const one = pedccLoss(tf.tensor2d([[0, 1]]), c, tf.tensor1d([0], 'int32'), 1, 0).loss.dataSync()[0];
  const two = pedccLoss(
    tf.tensor2d([
      [0, 1],
      [0, 1],
    ]),
    c,
    tf.tensor1d([0, 0], 'int32'),
    1,
    0,
  ).loss.dataSync()[0];
  assert.ok(Math.abs(two - one - 2) < 1e-5, `two copies add one more distance of 2: ${one} → ${two}`);
});

test("PEDCC distance: 'mean' divides the summed term by the batch size", () => {
  const c = tf.tensor2d([
    [1, 0],
    [-1, 0],
  ]);
  const f = tf.tensor2d([
    [0, 1],
    [0, 1],
    [1, 0],
  ]);
  const y = tf.tensor1d([0, 0, 0], 'int32');
  const am = pedccLoss(f, c, y, 7.5, 0.35, 1, 'sum').loss.dataSync()[0] - 4; // two distances of 2, one of 0
  const mean = pedccLoss(f, c, y, 7.5, 0.35, 1, 'mean').loss.dataSync()[0];
  assert.ok(Math.abs(mean - (am + 4 / 3)) < 1e-5, `${mean} vs ${am + 4 / 3}`);
  const one = pedccLoss(tf.tensor2d([[0, 1]]), c, tf.tensor1d([0], 'int32'), 1, 0, 1, 'mean').loss.dataSync()[0];
  const two = pedccLoss(
    tf.tensor2d([
      [0, 1],
      [0, 1],
    ]),
    c,
    tf.tensor1d([0, 0], 'int32'),
    1,
    0,
    1,
    'mean',
  ).loss.dataSync()[0];
  assert.ok(Math.abs(two - one) < 1e-5, `two copies, same mean: ${one} → ${two}`);
});

test('PEDCC head options: distance mean divides by the batch; embedBn false drops the BN (no embed_bn buffers, f̂ = normalise(E·f))', () => {
  const build = (opts: { distance?: 'sum' | 'mean'; embedBn?: boolean }) => {
    const store = new ParamStore(new Rng(5));
    const head = pedccHead(store, 3, 3, { s: 7.5, m: 0.35, embedDim: 3, ...opts }, 11);
    store.params[0].variable.assign(
      tf.tensor2d([
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]),
    ); // E = identity
    return { store, head };
  };
  const x = tf.tensor2d([
    [3, 4, 0],
    [0, 2, 1],
  ]);
  const y = tf.tensor1d([1, 2], 'int32');
  const plain = build({ embedBn: false });
  assert.deepEqual([...plain.store.buffers.keys()], ['pedcc.centroids']);
  assert.ok([...build({}).store.buffers.keys()].includes('embed_bn.running_mean'));
  const c = plain.store.buffers.get('pedcc.centroids') as tf.Tensor2D;
  const expected = pedccLoss(l2Normalize(x, 1) as tf.Tensor2D, c, y, 7.5, 0.35).loss.dataSync()[0];
  assert.ok(Math.abs(plain.head.train(x, y).loss.dataSync()[0] - expected) < 1e-5, 'no BN: loss on normalise(E·f)');
  assert.ok(Math.abs(plain.head.evaluate(x, y).loss.dataSync()[0] - expected) < 1e-5, 'no BN: evaluation alike');
  const sum = build({ embedBn: false }).head.train(x, y).loss.dataSync()[0];
  const mean = build({ embedBn: false, distance: 'mean' }).head.train(x, y).loss.dataSync()[0];
  const fHat = l2Normalize(x, 1) as tf.Tensor2D;
  assert.ok(Math.abs(mean - pedccLoss(fHat, c, y, 7.5, 0.35, 1, 'mean').loss.dataSync()[0]) < 1e-5, 'head with distance mean');
  const d = tf.sum(tf.squaredDifference(fHat, tf.gather(c, y))).dataSync()[0];
  assert.ok(Math.abs(sum - mean - d / 2) < 1e-5, `sum − mean = half the summed distance on a batch of two: ${sum - mean} vs ${d / 2}`);
  assert.ok(sum > mean, `the sum (${sum}) exceeds the mean (${mean}) on a batch of two`);
});

test('PEDCC head gradient (embedding, non-affine BN, normalisation) matches finite differences', () => {
  const store = new ParamStore(new Rng(3));
  const head = pedccHead(store, 4, 3, { s: 7.5, m: 0.35, embedDim: 6 }, 11);
  const y = tf.tensor1d([0, 1, 2, 1], 'int32');
  const f = (x: tf.Tensor) => head.train(x as tf.Tensor2D, y).loss;
  const x0 = randomValues(16, 5, 1);
  assertClose(
    tf
      .grad(f)(tf.tensor2d(x0, [4, 4]))
      .dataSync(),
    numericGrad(f, x0, [4, 4], 1e-2),
    2e-2,
    'grad',
  );
});

for (const [k, d] of [
  [10, 512],
  [4, 3],
  [5, 4],
  [100, 512],
  [200, 512],
] as const) {
  test(`PEDCC centroids k=${k}, d=${d}: unit norm, pairwise cosine −1/(k−1) (regular simplex)`, () => {
    const c = evenlyDistributedCentroids(k, d, 42);
    for (let i = 0; i < k; i++) {
      let n = 0;
      for (let t = 0; t < d; t++) n += c[i * d + t] ** 2;
      assert.ok(Math.abs(n - 1) < 1e-9, `norm of centroid ${i}`);
      for (let j = i + 1; j < k; j++) {
        let dot = 0;
        for (let t = 0; t < d; t++) dot += c[i * d + t] * c[j * d + t];
        assert.ok(Math.abs(dot + 1 / (k - 1)) < 1e-9, `cos(${i},${j}) = ${dot}`);
      }
    }
  });
}

test('PEDCC centroids: seeded rotation (same seed same centroids, another seed another rotation)', () => {
  assert.deepEqual(evenlyDistributedCentroids(5, 8, 1), evenlyDistributedCentroids(5, 8, 1));
  assert.notDeepEqual(evenlyDistributedCentroids(5, 8, 1), evenlyDistributedCentroids(5, 8, 2));
});

test('PEDCC centroids with k > d+1 (repulsion): unit norm and spread out (min pairwise distance near the optimum)', () => {
  const k = 6;
  const d = 2; // optimum: a hexagon, neighbours 60° apart → max cosine 0.5
  const c = evenlyDistributedCentroids(k, d, 3);
  let maxCos = -1;
  for (let i = 0; i < k; i++) {
    assert.ok(Math.abs(Math.hypot(c[i * d], c[i * d + 1]) - 1) < 1e-9);
    for (let j = i + 1; j < k; j++) maxCos = Math.max(maxCos, c[i * d] * c[j * d] + c[i * d + 1] * c[j * d + 1]);
  }
  assert.ok(maxCos < 0.55, `max cosine ${maxCos}`);
});

test('l2Normalize gives unit rows', () => {
  const n = tf
    .norm(
      l2Normalize(
        tf.tensor2d([
          [3, 4],
          [1, 0],
        ]),
        1,
      ),
      'euclidean',
      1,
    )
    .dataSync();
  assertClose(n, [1, 1], 1e-6, 'norms');
  assert.ok(softmaxCrossEntropy);
});
