import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandOf, colourIndex, isLogScale, countPoints, groupKey, histogramPoints, meanStd, metricValue, upsertPoint } from '../../../webview/series';
import { epoch } from '../helpers/runFixtures';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≈ ${b}`);

test('meanStd uses the sample std (n − 1), like the comparison table', () => {
  const { mean, std } = meanStd([70, 72, 74]);
  close(mean, 72);
  close(std, 2);
  assert.deepEqual(meanStd([5]), { mean: 5, std: 0 });
});

test('bands: mean ± std per epoch over seeds, only where two or more runs have the epoch', () => {
  const band = bandOf([
    [
      { x: 1, y: 50 },
      { x: 2, y: 60 },
      { x: 3, y: 70 },
    ],
    [
      { x: 1, y: 54 },
      { x: 2, y: 64 },
    ],
  ]);
  assert.deepEqual(
    band.lower.map((p) => p.x),
    [1, 2],
  );
  const std = Math.sqrt(8);
  close(band.lower[0].y, 52 - std);
  close(band.upper[0].y, 52 + std);
  close(band.upper[1].y, 62 + std);
  assert.deepEqual(bandOf([[{ x: 1, y: 1 }]]), { lower: [], upper: [] });
  assert.deepEqual(bandOf([[{ x: 1, y: NaN }], [{ x: 1, y: 2 }]]), { lower: [], upper: [] }, 'non-finite values are left out');
});

test('on a log axis the band stays positive and still covers every run', () => {
  // mean 1, sample std sqrt(((0.1 − 1)² + (1.9 − 1)²) / 1) ≈ 1.27: mean − std < 0.
  const band = bandOf([[{ x: 1, y: 0.1 }], [{ x: 1, y: 1.9 }]], true);
  close(band.lower[0].y, 0.1);
  close(band.upper[0].y, 1 + Math.sqrt(0.81 * 2));
  const linear = bandOf([[{ x: 1, y: 0.1 }], [{ x: 1, y: 1.9 }]]);
  close(linear.lower[0].y, 1 - Math.sqrt(0.81 * 2));
  assert.ok(isLogScale('trainLoss') && isLogScale('testLoss') && !isLogScale('testAcc'));
});

test('upsertPoint appends, and replaces a redone epoch with everything after it', () => {
  const points = [
    { x: 1, y: 1 },
    { x: 2, y: 2 },
    { x: 3, y: 3 },
  ];
  upsertPoint(points, { x: 4, y: 4 });
  assert.deepEqual(
    points.map((p) => p.x),
    [1, 2, 3, 4],
  );
  upsertPoint(points, { x: 2, y: 9 });
  assert.deepEqual(points, [
    { x: 1, y: 1 },
    { x: 2, y: 9 },
  ]);
});

test('accuracies are plotted in percent, losses as they are', () => {
  const m = epoch(2, 0.8);
  close(metricValue(m, 'testAcc'), 80);
  close(metricValue(m, 'trainAcc'), 85);
  close(metricValue(m, 'trainLoss'), 0.5);
  close(metricValue(m, 'testLoss'), 0.6);
});

test('runs that differ only by seed share a group; colours follow first appearance', () => {
  const a = { lossLabel: 'CE', modelLabel: 'Simple CNN', datasetLabel: 'Fashion-MNIST' };
  assert.equal(groupKey(a), groupKey({ ...a }));
  assert.notEqual(groupKey(a), groupKey({ ...a, modelLabel: 'VGG-16' }));
  assert.deepEqual(
    [...colourIndex(['CE', 'Scaled-BN m=0.9', 'CE', 'PEDCC'])],
    [
      ['CE', 0],
      ['Scaled-BN m=0.9', 1],
      ['PEDCC', 2],
    ],
  );
});

test('a histogram becomes the corners of a step line, and points are counted over datasets', () => {
  assert.deepEqual(histogramPoints({ edges: [-1, 0, 1], counts: [2, 5] }), [
    { x: -1, y: 2 },
    { x: 0, y: 5 },
    { x: 1, y: 5 },
  ]);
  assert.deepEqual(histogramPoints({ edges: [0], counts: [] }), []);
  assert.equal(countPoints([{ data: [1, 2] }, { data: [] }, { data: [3] }]), 3);
});
