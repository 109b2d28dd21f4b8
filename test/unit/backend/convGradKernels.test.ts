import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { hasFastConvGradients, registerFastConvGradients, restoreStockConvGradients } from '../../../src/core/backend/convGradKernels';
import { Rng } from '../../../src/core/util/rng';
import {
  type ConvCase,
  type StockCpuKernels,
  describeCase,
  dyShapeOf,
  filterAttrs,
  inputAttrs,
  randomCases,
  randomHost,
  relativeError,
  runRegistered,
  runStockCpu,
  startBackends,
} from './convGradTestSupport';

const BACKENDS = ['cpu', 'wasm'] as const;
const TOLERANCE = 1e-4;

// Geometries the random draw may miss: front padding wider than kernel − 1 (the input
// gradient must crop dy), a kernel wider than the input, and a case where every dx value
// falls between strides (dx is all zeros).
const EDGE_CASES: ConvCase[] = [
  {
    xShape: [2, 6, 7, 3],
    filterShape: [3, 3, 3, 2],
    strides: [1, 1],
    pad: [
      [0, 0],
      [4, 5],
      [3, 0],
      [0, 0],
    ],
  },
  {
    xShape: [1, 6, 6, 2],
    filterShape: [3, 3, 2, 2],
    strides: [2, 2],
    pad: [
      [0, 0],
      [3, 3],
      [4, 1],
      [0, 0],
    ],
  },
  { xShape: [2, 3, 2, 2], filterShape: [5, 5, 2, 3], strides: [2, 2], pad: 'same' },
  {
    xShape: [1, 1, 1, 2],
    filterShape: [1, 1, 2, 2],
    strides: [2, 2],
    pad: [
      [0, 0],
      [3, 0],
      [3, 0],
      [0, 0],
    ],
  },
  { xShape: [3, 8, 8, 4], filterShape: [1, 1, 4, 5], strides: [2, 2], pad: 'valid' },
  { xShape: [2, 9, 8, 3], filterShape: [3, 1, 3, 4], strides: [2, 1], pad: 'same' },
];
const CASES = [...randomCases(48, 20261128), ...EDGE_CASES];

let stock: StockCpuKernels;
before(async () => {
  stock = await startBackends();
});

for (const backendName of BACKENDS) {
  test(`Conv2DBackpropFilter on ${backendName} equals the stock cpu kernel`, async () => {
    const rng = new Rng(1);
    for (const c of CASES) {
      const x = randomHost(c.xShape, rng);
      const dy = randomHost(dyShapeOf(c), rng);
      const expected = await runStockCpu(stock.filter, { x, dy }, filterAttrs(c));
      const got = await runRegistered(backendName, 'Conv2DBackpropFilter', { x, dy }, filterAttrs(c));
      assert.deepEqual(got.shape, c.filterShape, describeCase(c));
      const err = relativeError(got.values, expected);
      assert.ok(err < TOLERANCE, `${describeCase(c)}: relative error ${err}`);
    }
  });

  test(`Conv2DBackpropInput on ${backendName} equals the stock cpu kernel`, async () => {
    const rng = new Rng(2);
    for (const c of CASES) {
      const dy = randomHost(dyShapeOf(c), rng);
      const filter = randomHost(c.filterShape, rng);
      const expected = await runStockCpu(stock.input, { dy, filter }, inputAttrs(c));
      const got = await runRegistered(backendName, 'Conv2DBackpropInput', { dy, filter }, inputAttrs(c));
      assert.deepEqual(got.shape, c.xShape, describeCase(c));
      const err = relativeError(got.values, expected);
      assert.ok(err < TOLERANCE, `${describeCase(c)}: relative error ${err}`);
    }
  });

  test(`tf.grads of tf.conv2d on ${backendName} match central differences`, async () => {
    await tf.setBackend(backendName);
    const rng = new Rng(3);
    const xHost = randomHost([2, 6, 7, 2], rng);
    const wHost = randomHost([3, 3, 2, 3], rng);
    const x = tf.tensor4d(xHost.values, xHost.shape as [number, number, number, number]);
    const w = tf.tensor4d(wHost.values, wHost.shape as [number, number, number, number]);
    const conv = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, 2, 'same');
    const weights = tf.tensor(randomHost(conv(x, w).shape, rng).values, conv(x, w).shape);
    const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), weights));
    const [gx, gw] = tf.grads(loss)([x, w]);
    // The loss is linear in each argument, so a wide step is exact up to float32 rounding.
    const eps = 0.5;
    const numeric = (which: 0 | 1): Float32Array => {
      const base = which === 0 ? xHost : wHost;
      const out = new Float32Array(base.values.length);
      for (let i = 0; i < out.length; i++) {
        const plus = base.values.slice();
        const minus = base.values.slice();
        plus[i] += eps;
        minus[i] -= eps;
        const f = (v: Float32Array) =>
          tf.tidy(() => {
            const t = tf.tensor4d(v, base.shape as [number, number, number, number]);
            return (which === 0 ? loss(t, w) : loss(x, t)).dataSync()[0];
          });
        out[i] = (f(plus) - f(minus)) / (2 * eps);
      }
      return out;
    };
    assert.ok(relativeError(gx.dataSync(), numeric(0)) < 1e-3, 'dL/dx');
    assert.ok(relativeError(gw.dataSync(), numeric(1)) < 1e-3, 'dL/dw');
    tf.dispose([x, w, weights, gx, gw]);
  });

  test(`repeated conv gradients on ${backendName} leak neither tensors nor backend data`, async () => {
    await tf.setBackend(backendName);
    const x = tf.randomNormal<tf.Rank.R4>([2, 9, 8, 3]);
    const w = tf.randomNormal<tf.Rank.R4>([3, 3, 3, 4]);
    const step = () => {
      for (const [stride, pad] of [
        [2, 'same'],
        [1, 'valid'],
        [
          2,
          [
            [0, 0],
            [4, 1],
            [0, 2],
            [0, 0],
          ],
        ],
      ] as const) {
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad as 'same'))));
        tf.dispose(grads([x, w]));
      }
    };
    step(); // first calls may allocate lasting state (kernel setup)
    const tensorsBefore = tf.memory().numTensors;
    const dataIdsBefore = tf.backend().numDataIds();
    for (let i = 0; i < 4; i++) step();
    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.equal(tf.backend().numDataIds(), dataIdsBefore);
    tf.dispose([x, w]);
  });
}

test('defaults: cpu keeps its stock input gradient; re-registering keeps the true stock kernel for restoring', async () => {
  registerFastConvGradients('cpu');
  registerFastConvGradients('cpu');
  assert.deepEqual(hasFastConvGradients('cpu'), { filter: true, input: false });
  assert.equal(tf.getKernel('Conv2DBackpropInput', 'cpu')?.kernelFunc, stock.input);
  registerFastConvGradients('cpu', { input: true });
  assert.deepEqual(hasFastConvGradients('cpu'), { filter: true, input: true });
  restoreStockConvGradients('cpu');
  assert.equal(tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc, stock.filter);
  assert.equal(tf.getKernel('Conv2DBackpropInput', 'cpu')?.kernelFunc, stock.input);
  restoreStockConvGradients('wasm');
  assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined, 'wasm ships no filter gradient');
  assert.notEqual(tf.getKernel('Conv2DBackpropInput', 'wasm'), undefined);
  registerFastConvGradients('wasm');
  assert.deepEqual(hasFastConvGradients('wasm'), { filter: true, input: true });
  registerFastConvGradients('cpu', { input: true }); // as startBackends left it, for the tests below
});

test('NCHW falls back to the stock kernel where there is one, and fails clearly where not', async () => {
  const rng = new Rng(4);
  const x = randomHost([1, 2, 6, 6], rng); // NCHW
  const dy = randomHost([1, 3, 6, 6], rng);
  const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] };
  const expected = await runStockCpu(stock.filter, { x, dy }, attrs);
  const got = await runRegistered('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
  assert.ok(relativeError(got.values, expected) < TOLERANCE);
  await assert.rejects(runRegistered('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs), /NCHW is not supported/);
});

test('a dilation other than 1 is refused with a clear error', async () => {
  const rng = new Rng(5);
  const x = randomHost([1, 6, 6, 2], rng);
  const dy = randomHost([1, 6, 6, 3], rng);
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 2, filterShape: [3, 3, 2, 3] };
  await assert.rejects(runRegistered('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs), /dilations other than 1/);
});
