// Every native kernel of the torch backend against tfjs' reference cpu kernels: random shapes,
// strides, paddings and dtypes, values and (through tfjs' gradients) the backward kernels.
// Needs the built native engine (npm run build:native); without it these tests fail, never skip.
import * as tf from '@tensorflow/tfjs-core';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend } from '../../../src/core/backend/selectBackend';
import { setFastPaths } from '../../../src/core/backend/fastPaths';
import { NATIVE_KERNELS } from '../../../src/core/backend/torch/torchKernels';
import { TorchBackend } from '../../../src/core/backend/torch/torchBackend';
import { batchNormTrain, BatchNormState } from '../../../src/core/nn/batchNorm';
import { ParamStore } from '../../../src/core/nn/params';
import { Sgd } from '../../../src/core/train/sgd';
import { Rng } from '../../../src/core/util/rng';
import { assertClose, randomValues } from '../helpers/tfTest';

before(async () => {
  await selectBackend('cpu');
  await selectBackend('torch');
});

type Out = tf.Tensor | tf.Tensor[];

/** Runs `f` on cpu and on torch (inputs built inside `f`) and returns both results as plain arrays. */
async function onBoth(f: () => Out): Promise<{ cpu: { values: number[]; shape: number[]; dtype: string }[]; torch: { values: number[]; shape: number[]; dtype: string }[] }> {
  const run = async (backend: string) => {
    assert.equal(await tf.setBackend(backend), true);
    return tf.tidy(() => {
      const out = f();
      return (Array.isArray(out) ? out : [out]).map((t) => ({ values: Array.from(t.dataSync() as ArrayLike<number>), shape: t.shape, dtype: t.dtype }));
    });
  };
  const cpu = await run('cpu');
  const torch = await run('torch');
  return { cpu, torch };
}

async function same(what: string, f: () => Out, tol = 1e-5): Promise<void> {
  const { cpu, torch } = await onBoth(f);
  assert.equal(torch.length, cpu.length, `${what}: outputs`);
  cpu.forEach((c, i) => {
    assert.deepEqual(torch[i].shape, c.shape, `${what}: shape of output ${i}`);
    assert.equal(torch[i].dtype, c.dtype, `${what}: dtype of output ${i}`);
    assertClose(torch[i].values, c.values, tol, `${what} output ${i}`);
  });
}

function rnd(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed, scale), shape);
}

/** Small deterministic integer generator for shapes. */
function picker(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s % (hi - lo + 1));
  };
}

test('the kernels training uses are native, not the cpu fallback', () => {
  const census = [
    'Add',
    'ArgMax',
    'BatchMatMul',
    'Cast',
    'Conv2D',
    'Conv2DBackpropFilter',
    'Conv2DBackpropInput',
    'Equal',
    'Exp',
    'GatherV2',
    'GreaterEqual',
    'Identity',
    'Log',
    'LossLabBatchNormBackward',
    'LossLabBatchNormForward',
    'Max',
    'MaxPool',
    'MaxPoolGrad',
    'Maximum',
    'Mean',
    'Multiply',
    'Neg',
    'OneHot',
    'Pow',
    'RealDiv',
    'Relu',
    'LossLabReluGrad',
    'Reshape',
    'Rsqrt',
    'Slice',
    'Sqrt',
    'Square',
    'SquaredDifference',
    'Step',
    'Sub',
    'Sum',
    'Transpose',
    'Abs',
  ];
  assert.deepEqual(
    census.filter((k) => !NATIVE_KERNELS.includes(k)),
    [],
  );
});

test('Conv2D and its gradients: random shapes, strides, paddings (same, valid, numeric, asymmetric) and dilations', async () => {
  const pick = picker(11);
  let ran = 0;
  for (let c = 0; c < 40; c++) {
    const [n, h, w, cin, cout, k] = [pick(1, 3), pick(3, 9), pick(3, 9), pick(1, 4), pick(1, 4), pick(1, 3)];
    const dilation = c % 5 === 4 ? 2 : 1;
    const stride = dilation > 1 ? 1 : pick(1, 3);
    const pads: (string | number | number[][])[] = [
      'same',
      'valid',
      pick(0, 2),
      [
        [0, 0],
        [pick(0, 2), pick(0, 2)],
        [pick(0, 2), pick(0, 2)],
        [0, 0],
      ],
    ];
    const pad = pads[c % 4] as 'same';
    if (h + 2 * 2 < dilation * (k - 1) + 1 || w + 2 * 2 < dilation * (k - 1) + 1) continue;
    const what = `conv ${[n, h, w, cin]}×${[k, k, cin, cout]} stride ${stride} pad ${JSON.stringify(pad)} dilation ${dilation}`;
    const fwd = () => tf.conv2d(rnd([n, h, w, cin], c) as tf.Tensor4D, rnd([k, k, cin, cout], c + 100) as tf.Tensor4D, stride, pad, 'NHWC', dilation);
    try {
      fwd();
    } catch {
      continue; // a geometry tfjs itself rejects (window larger than the padded input)
    }
    await same(what, fwd, 1e-4);
    ran++;
    if (dilation > 1) continue; // tfjs has no conv gradient for dilations > 1
    await same(
      `${what}: gradients`,
      () => {
        const x = rnd([n, h, w, cin], c);
        const f = rnd([k, k, cin, cout], c + 100);
        const y = tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad);
        const dy = rnd(y.shape, c + 200);
        return tf.grads((xi: tf.Tensor, fi: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xi as tf.Tensor4D, fi as tf.Tensor4D, stride, pad), dy)))([x, f]);
      },
      1e-4,
    );
  }
  assert.ok(ran >= 30, `only ${ran} of 40 geometries ran`);
});

test('MaxPool and its gradient: windows, strides and padding', async () => {
  const pick = picker(5);
  for (let c = 0; c < 24; c++) {
    const [n, h, w, ch, k, stride] = [pick(1, 2), pick(2, 9), pick(2, 9), pick(1, 5), pick(1, 3), pick(1, 3)];
    const pad = c % 2 ? 'same' : 'valid';
    if (pad === 'valid' && (h < k || w < k)) continue;
    // Distinct values: with ties the gradient may go to either maximum.
    const values = Array.from(tf.util.createShuffledIndices(n * h * w * ch), (v) => v * 0.01);
    const x = () => tf.tensor<tf.Rank.R4>(values, [n, h, w, ch]);
    await same(`maxPool ${[n, h, w, ch]} k ${k} s ${stride} ${pad}`, () =>
      tf
        .grads((xi: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xi as tf.Tensor4D, k, stride, pad), 3)))([x()])
        .concat(tf.maxPool(x(), k, stride, pad)),
    );
  }
});

test('BatchMatMul with transposes and batch dimensions, values and gradients', async () => {
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    for (const batch of [[], [3], [2, 2]]) {
      const a = [...batch, ...(ta ? [4, 5] : [5, 4])];
      const b = [...batch, ...(tb ? [6, 4] : [4, 6])];
      await same(
        `matMul ${a} ${b} ${ta} ${tb}`,
        () =>
          tf
            .grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, ta, tb)))([rnd(a, 1), rnd(b, 2)])
            .concat(tf.matMul(rnd(a, 1), rnd(b, 2), ta, tb)),
        1e-5,
      );
    }
  }
});

test('element-wise kernels: unary on their domains, binary with broadcasting and int32/bool dtypes', async () => {
  const x = () => rnd([3, 4], 3, 2);
  const pos = () => tf.add(tf.abs(rnd([3, 4], 4, 2)), 0.1);
  const unit = () => rnd([3, 4], 5, 0.9);
  const ops: [string, () => Out][] = [
    ['abs', () => tf.abs(x())],
    ['neg', () => tf.neg(x())],
    ['exp', () => tf.exp(x())],
    ['log', () => tf.log(pos())],
    ['sqrt', () => tf.sqrt(pos())],
    ['rsqrt', () => tf.rsqrt(pos())],
    ['square', () => tf.square(x())],
    ['relu', () => tf.relu(x())],
    ['relu6', () => tf.relu6(tf.mul(x(), 5))],
    ['sigmoid', () => tf.sigmoid(x())],
    ['tanh', () => tf.tanh(x())],
    ['softplus', () => tf.softplus(x())],
    ['elu', () => tf.elu(x())],
    ['selu', () => tf.selu(x())],
    ['leakyRelu', () => tf.leakyRelu(x(), 0.3)],
    ['step', () => tf.step(x(), 0.25)],
    ['floor', () => tf.floor(x())],
    ['ceil', () => tf.ceil(x())],
    ['round', () => tf.round(tf.mul(x(), 3))],
    ['sign', () => tf.sign(x())],
    ['sin', () => tf.sin(x())],
    ['cos', () => tf.cos(x())],
    ['tan', () => tf.tan(unit())],
    ['asin', () => tf.asin(unit())],
    ['acos', () => tf.acos(unit())],
    ['atan', () => tf.atan(x())],
    ['atanh', () => tf.atanh(unit())],
    ['sinh', () => tf.sinh(x())],
    ['cosh', () => tf.cosh(x())],
    ['asinh', () => tf.asinh(x())],
    ['acosh', () => tf.acosh(tf.add(pos(), 1))],
    ['erf', () => tf.erf(x())],
    ['expm1', () => tf.expm1(x())],
    ['log1p', () => tf.log1p(pos())],
    ['reciprocal', () => tf.reciprocal(pos())],
    [
      'isNaN/isInf/isFinite',
      () => {
        const t = tf.tensor([1, NaN, Infinity, -Infinity, 0]);
        return [tf.isNaN(t), tf.isInf(t), tf.isFinite(t)];
      },
    ],
    ['logicalNot', () => tf.logicalNot(tf.greater(x(), 0))],
    ['add/sub/mul/div broadcast', () => [tf.add(x(), rnd([4], 6)), tf.sub(rnd([3, 1], 7), x()), tf.mul(x(), tf.scalar(3)), tf.div(x(), pos())]],
    ['maximum/minimum/pow/squaredDifference', () => [tf.maximum(x(), rnd([1, 4], 8)), tf.minimum(x(), 0.2), tf.pow(pos(), rnd([3, 4], 9)), tf.squaredDifference(x(), rnd([4], 10))]],
    ['atan2/mod/floorDiv', () => [tf.atan2(x(), pos()), tf.mod(x(), pos()), tf.floorDiv(x(), pos())]],
    [
      'int32 arithmetic',
      () => {
        const a = tf.tensor([7, -7, 5, 0, -3, 9], [2, 3], 'int32');
        const b = tf.tensor([2, 2, -3], [3], 'int32');
        return [tf.add(a, b), tf.sub(a, b), tf.mul(a, b), tf.floorDiv(a, b), tf.mod(a, b), tf.maximum(a, b), tf.minimum(a, b)];
      },
    ],
    [
      'comparisons',
      () => {
        const a = x();
        const b = rnd([4], 11);
        return [tf.equal(a, a), tf.notEqual(a, b), tf.greater(a, b), tf.greaterEqual(a, b), tf.less(a, b), tf.lessEqual(a, b)];
      },
    ],
    ['logicalAnd/logicalOr', () => [tf.logicalAnd(tf.greater(x(), 0), tf.less(x(), 1)), tf.logicalOr(tf.greater(x(), 1), tf.less(x(), -1))]],
    ['prelu', () => tf.prelu(x(), rnd([4], 12))],
    ['clipByValue', () => tf.clipByValue(x(), -0.5, 0.7)],
    ['addN', () => tf.addN([x(), rnd([3, 4], 13), rnd([3, 4], 14)])],
  ];
  for (const [what, f] of ops) await same(what, f, 1e-5);
});

test('element-wise gradients (relu via Step, pow, squaredDifference, div, maximum)', async () => {
  const f = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.add(tf.add(tf.relu(tf.mul(a, b)), tf.pow(tf.abs(a), 1.5)), tf.add(tf.squaredDifference(a, b), tf.add(tf.div(a, tf.add(tf.abs(b), 1)), tf.maximum(a, tf.mul(a, 0.5))))));
  await same('gradients', () => tf.grads(f)([rnd([5, 6], 15), rnd([5, 6], 16)]), 1e-5);
});

/** The bits of a float32 tensor: equal bits are equal results, signs of zero and NaNs included. */
function bits(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
}

test("ReLU's gradient is one native kernel, bit for bit tfjs' Step then Multiply on this backend", async () => {
  assert.equal(await tf.setBackend('torch'), true);
  // x: positive, negative, ±0, NaN; dy: negative (dy · 0 = -0), ±∞ (∞ · 0 = NaN), NaN.
  const xs = [1.5, -2, 0, -0, NaN, 3, -1e-30, 7, 0.25, -4, 2, -0.5];
  const dys = [-1, 2, -3, 4, -Infinity, Infinity, NaN, -0.125, 5, -6, 0.5, 9];
  const layouts: [string, () => tf.Tensor][] = [
    ['same layout', () => tf.tensor(xs, [3, 4])],
    ['x a transposed view', () => tf.transpose(tf.tensor(xs, [4, 3]))],
  ];
  for (const [what, x] of layouts) {
    tf.tidy(() => {
      const dy = tf.tensor(dys, [3, 4]);
      const reference = tf.mul(dy, tf.step(x()));
      const fused = tf.grad((xi: tf.Tensor) => tf.relu(xi))(x(), dy);
      assert.deepEqual(bits(fused), bits(reference), what);
    });
  }
  const x = tf.tensor(xs, [3, 4]);
  const dy = tf.tensor(dys, [3, 4]);
  const kernelsOfGrad = async () => (await tf.profile(() => tf.grad((xi: tf.Tensor) => tf.relu(xi))(x, dy))).kernelNames;
  const fused = await kernelsOfGrad();
  assert.ok(fused.includes('LossLabReluGrad') && !fused.includes('Step'), fused.join(', '));
  const before = setFastPaths({ fusedReluGrad: false });
  try {
    const stock = await kernelsOfGrad();
    assert.ok(stock.includes('Step') && !stock.includes('LossLabReluGrad'), `switched off: ${stock.join(', ')}`);
  } finally {
    setFastPaths(before);
  }
  tf.dispose([x, dy]);
});

test("MaxPool's saved indices serve only the input they were pooled from", async () => {
  assert.equal(await tf.setBackend('torch'), true);
  const b = tf.backend() as TorchBackend;
  const pooled = tf.tensor4d([1, 9, 2, 3, 4, 5, 6, 7], [1, 2, 4, 1]);
  const other = tf.tensor4d([8, 1, 2, 3, 4, 5, 9, 7], [1, 2, 4, 1]);
  const y = tf.maxPool(pooled, 2, 2, 'valid');
  const dy = tf.tensor4d([10, 20], [1, 1, 2, 1]);
  const grad = (x: tf.Tensor) => {
    const id = b.native.maxPoolGrad(b.id(dy), b.id(x), b.id(y), [2, 2], [2, 2], [0, 0, 0, 0], [1, 1]);
    const dx = b.out(id);
    const values = Array.from(b.readSync(dx.dataId) as Float32Array);
    b.disposeData(dx.dataId);
    return values;
  };
  // Argmax of each 2×2 window: pooled at 9 (index 1) and 7 (index 7); other at 8 (0) and 9 (6).
  assert.deepEqual(grad(pooled), [0, 10, 0, 0, 0, 0, 0, 20]);
  assert.deepEqual(grad(other), [10, 0, 0, 0, 0, 0, 20, 0]);
  tf.dispose([pooled, other, y, dy]);
});

test('reductions over axes with keepDims; int32 and bool reductions; argMax/argMin; softmax', async () => {
  const x = () => rnd([2, 3, 4, 5], 17);
  for (const axis of [null, 0, 1, 3, [1, 2], [0, 3], [0, 1, 2, 3]] as (number | number[] | null)[]) {
    for (const keep of [false, true]) {
      await same(
        `reductions axis ${JSON.stringify(axis)} keepDims ${keep}`,
        () => [
          tf.sum(x(), axis ?? undefined, keep),
          tf.mean(x(), axis ?? undefined, keep),
          tf.max(x(), axis ?? undefined, keep),
          tf.min(x(), axis ?? undefined, keep),
          tf.prod(tf.add(x(), 1), axis ?? undefined, keep),
          tf.all(tf.greater(x(), -0.9), axis ?? undefined, keep),
          tf.any(tf.greater(x(), 0.9), axis ?? undefined, keep),
        ],
        1e-5,
      );
    }
  }
  await same('int32 and bool sums', () => [
    tf.sum(
      tf.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
        'int32',
      ),
      1,
    ),
    tf.sum(tf.greater(x(), 0), [1, 2]),
  ]);
  await same('argMax/argMin', () => [tf.argMax(x(), 1), tf.argMin(x(), 3), tf.argMax(rnd([7], 18))]);
  await same('softmax and its gradient', () => [tf.softmax(rnd([4, 7], 19)), ...tf.grads((l: tf.Tensor) => tf.sum(tf.mul(tf.softmax(l), rnd([4, 7], 20))))([rnd([4, 7], 19)])]);
});

test('shape kernels: cast, reshape, transpose, slice, concat, pad, tile, reverse, fill, select, oneHot, gather', async () => {
  const x = () => rnd([2, 3, 4], 21, 3);
  await same('cast', () => [tf.cast(x(), 'int32'), tf.cast(x(), 'bool'), tf.cast(tf.tensor([1, 0, 3], [3], 'int32'), 'float32'), tf.cast(tf.tensor([true, false], [2], 'bool'), 'float32')]);
  await same('reshape/transpose', () => [tf.reshape(x(), [6, -1]), tf.transpose(x(), [2, 0, 1]), tf.reshape(tf.transpose(x(), [1, 0, 2]), [3, 8])]);
  await same('slice', () => [tf.slice(x(), [1, 0, 1], [1, 2, -1]), tf.slice(x(), [0, 1], [-1, 2]), tf.slice(tf.transpose(x()), [1, 1, 0], [2, 2, 2])]);
  await same('concat', () => [tf.concat([x(), x()], 0), tf.concat([x(), rnd([2, 3, 1], 22)], -1), tf.concat([x()], 1), tf.stack([x(), x()], 1)]);
  await same('pad/tile/reverse', () => [
    tf.pad(
      x(),
      [
        [0, 1],
        [2, 0],
        [1, 1],
      ],
      0.5,
    ),
    tf.tile(x(), [2, 1, 3]),
    tf.reverse(x(), [0, 2]),
    tf.reverse(x()),
  ]);
  await same('fill/zerosLike/onesLike', () => [tf.fill([2, 3], 4.5), tf.fill([2], 3, 'int32'), tf.zerosLike(x()), tf.onesLike(tf.tensor([1, 2], [2], 'int32'))]);
  await same('select', () => [tf.where(tf.greater(x(), 0), x(), tf.zerosLike(x()))]);
  await same('oneHot (out-of-range rows all off)', () => [
    tf.oneHot(tf.tensor1d([0, 3, 1, -1, 7], 'int32'), 5),
    tf.oneHot(
      tf.tensor2d(
        [
          [1, 2],
          [0, 0],
        ],
        [2, 2],
        'int32',
      ),
      3,
      2,
      -1,
    ),
  ]);
  await same('gather', () => [
    tf.gather(x(), tf.tensor1d([1, 0, 1], 'int32'), 0),
    tf.gather(
      x(),
      tf.tensor2d(
        [
          [2, 0],
          [1, 1],
        ],
        [2, 2],
        'int32',
      ),
      1,
    ),
    tf.gather(x(), tf.tensor1d([3], 'int32'), 2),
  ]);
});

test('kernels without a native version run through the cpu fallback', async () => {
  await same('cumsum/topk/stridedSlice', () => [tf.cumsum(rnd([3, 4], 23), 1), tf.topk(rnd([3, 6], 24), 2).values, tf.stridedSlice(rnd([4, 6], 25), [0, 1], [4, 6], [2, 2])]);
  assert.ok(!NATIVE_KERNELS.includes('Cumsum'), 'the test must exercise a fallback kernel');
});

function bnState(c: number): BatchNormState {
  return { runningMean: tf.variable(tf.zeros([c]), false), runningVar: tf.variable(tf.ones([c]), false), momentum: 0.1, eps: 1e-5 };
}

test('fused batch norm (ATen native_batch_norm): output, gradients and running statistics', async () => {
  for (const [shape, affine] of [
    [[4, 3, 5, 6], true],
    [[16, 10], false],
    [[5, 2, 2, 19], true],
  ] as const) {
    await same(
      `BN ${shape} affine ${affine}`,
      () => {
        const c = shape[shape.length - 1];
        const x = rnd([...shape], 26, 3);
        const w = rnd([...shape], 27);
        const g = affine ? rnd([c], 28, 2) : null;
        const b = affine ? rnd([c], 29) : null;
        const state = bnState(c);
        const f = (xi: tf.Tensor, gi?: tf.Tensor, bi?: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(batchNormTrain(xi, state, gi ?? null, bi ?? null), w));
        const grads = affine ? tf.grads((xi, gi, bi) => f(xi, gi, bi))([x, g!, b!]) : tf.grads((xi) => f(xi))([x]);
        const y = batchNormTrain(x, bnState(c), g, b);
        const out = [y, ...grads, state.runningMean.clone(), state.runningVar.clone()];
        state.runningMean.dispose();
        state.runningVar.dispose();
        return out;
      },
      1e-4,
    );
  }
});

test('native SGD update equals the op-by-op update (momentum, weight decay per parameter)', async () => {
  const { cpu, torch } = await onBoth(() => {
    const store = new ParamStore(new Rng(3));
    const w = { variable: store.addParam('w', [4, 3], randomValues(12, 31), true) };
    const bias = { variable: store.addParam('b', [3], randomValues(3, 32), false) };
    const sgd = new Sgd(store.params, { momentum: 0.9, weightDecay: 5e-4, decayBiasAndBn: false });
    for (let step = 0; step < 3; step++) {
      const grads = { [w.variable.name]: rnd([4, 3], 30 + step), [bias.variable.name]: rnd([3], 40 + step) };
      sgd.step(grads, 0.1);
    }
    const out = [w.variable.clone(), bias.variable.clone(), ...sgd.buffers.map((b) => b.clone())];
    sgd.dispose();
    store.dispose();
    return out;
  });
  assert.ok(tf.backend() instanceof TorchBackend);
  cpu.forEach((c, i) => assertClose(torch[i].values, c.values, 1e-6, `parameter/buffer ${i}`));
});
