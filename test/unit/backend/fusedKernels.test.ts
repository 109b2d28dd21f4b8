import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFastPaths } from '../../../src/core/backend/fastPaths';
import { registerHostKernels } from '../../../src/core/backend/fusedKernels';
import { selectBackend } from '../../../src/core/backend/selectBackend';
import { batchNormTrain, BatchNormState } from '../../../src/core/nn/batchNorm';
import { ParamStore } from '../../../src/core/nn/params';
import { Sgd } from '../../../src/core/train/sgd';
import { Rng } from '../../../src/core/util/rng';
import { assertClose, numericGrad, randomValues, useCpu } from '../helpers/tfTest';

after(() => setFastPaths({ fusedBatchNorm: true, fusedSgd: true, maxPoolGrad: true }));

function bnState(c: number): BatchNormState {
  return { runningMean: tf.variable(tf.zeros([c]), false), runningVar: tf.variable(tf.ones([c]), false), momentum: 0.1, eps: 1e-5 };
}

/** y, dx, dγ, dβ and the running statistics after one BN step, with the fused kernels on or off. */
function bnStep(fused: boolean, shape: number[], affine: boolean) {
  setFastPaths({ fusedBatchNorm: fused });
  const c = shape[shape.length - 1];
  const x = tf.tensor(randomValues(tf.util.sizeFromShape(shape), 7, 3), shape);
  const w = tf.tensor(randomValues(tf.util.sizeFromShape(shape), 8), shape); // dL/dy
  const gamma = affine ? tf.tensor1d(randomValues(c, 9, 2)) : null;
  const beta = affine ? tf.tensor1d(randomValues(c, 10)) : null;
  const state = bnState(c);
  const f = (xi: tf.Tensor, g?: tf.Tensor, b?: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(batchNormTrain(xi, state, g ?? null, b ?? null), w));
  const y = batchNormTrain(x, bnState(c), gamma, beta).arraySync();
  const grads = affine ? tf.grads((xi, g, b) => f(xi, g, b))([x, gamma!, beta!]) : tf.grads((xi) => f(xi))([x]);
  return { y, grads: grads.map((g) => g.dataSync()), running: [state.runningMean.dataSync(), state.runningVar.dataSync()] };
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: fused BN forward/backward and running statistics match the composed ops`, async () => {
    await selectBackend(backend);
    // C = 6, 10: remainder loops only; 16: two full groups of 8; 19: groups of 8 plus a remainder of 3.
    for (const [shape, affine] of [
      [[4, 3, 5, 6], true],
      [[16, 10], false],
      [[5, 2, 2, 16], false],
      [[3, 3, 2, 19], true],
    ] as const) {
      const ref = bnStep(false, [...shape], affine);
      const fused = bnStep(true, [...shape], affine);
      assertClose((fused.y as number[]).flat(3), (ref.y as number[]).flat(3), 1e-5, 'y');
      fused.grads.forEach((g, i) => assertClose(g, ref.grads[i], 1e-4, `grad ${i}`));
      fused.running.forEach((r, i) => assertClose(r, ref.running[i], 1e-6, `running ${i}`));
    }
  });
}

test('fused BN gradient matches finite differences (x and γ, NHWC)', async () => {
  await useCpu();
  setFastPaths({ fusedBatchNorm: true });
  const shape = [3, 2, 2, 3];
  const x0 = randomValues(36, 11, 2);
  const w = tf.tensor(randomValues(36, 12), shape);
  const gamma = tf.tensor1d([0.5, -1.5, 2]);
  const beta = tf.tensor1d([0.1, 0.2, -0.3]);
  const loss = (x: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(batchNormTrain(x, bnState(3), gamma, beta), w));
  const analytic = tf.grad(loss)(tf.tensor(x0, shape)).dataSync();
  assertClose(analytic, numericGrad(loss, x0, shape), 2e-2, 'dx');
  const g0 = Float32Array.from(gamma.dataSync());
  const lossG = (g: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(batchNormTrain(tf.tensor(x0, shape), bnState(3), g, beta), w));
  assertClose(tf.grad(lossG)(gamma).dataSync(), numericGrad(lossG, g0, [3]), 2e-2, 'dγ');
});

/** Reference: the first maximum of each window gets the gradient. */
function maxPoolGradRef(x: Float32Array, dy: Float32Array, [n, h, w, c]: number[], k: number): Float32Array {
  const dx = new Float32Array(x.length);
  const oh = Math.floor(h / k);
  const ow = Math.floor(w / k);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ch = 0; ch < c; ch++) {
          let best = -1;
          for (let i = 0; i < k; i++)
            for (let j = 0; j < k; j++) {
              const at = ((b * h + oy * k + i) * w + ox * k + j) * c + ch;
              if (best < 0 || x[at] > x[best]) best = at;
            }
          dx[best] += dy[((b * oh + oy) * ow + ox) * c + ch];
        }
  return dx;
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: host MaxPoolGrad equals the first-maximum reference (ties from ReLU zeros, odd sizes)`, async () => {
    await selectBackend(backend);
    registerHostKernels(backend);
    const shape = [2, 5, 7, 3];
    // Clamp at 0 so that many windows are all-zero ties, as after a ReLU.
    const x0 = randomValues(tf.util.sizeFromShape(shape), 21).map((v) => Math.max(0, v));
    const x = tf.tensor4d(x0, shape as [number, number, number, number]);
    const dyShape = [2, 2, 3, 3];
    const dy = tf.tensor(randomValues(tf.util.sizeFromShape(dyShape), 22), dyShape);
    const grad = tf
      .grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xi as tf.Tensor4D, 2, 2, 'valid'), dy)))(x)
      .dataSync();
    assertClose(grad, maxPoolGradRef(x0, dy.dataSync() as Float32Array, shape, 2), 1e-6, 'dx');
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: in-place SGD is bit-identical to the op-by-op update, and convs see the new weights`, async () => {
    await selectBackend(backend);
    const run = (fused: boolean) => {
      setFastPaths({ fusedSgd: fused });
      const store = new ParamStore(new Rng(0));
      const w = store.addParam('w', [3, 3, 2, 4], randomValues(72, 31), true);
      const b = store.addParam('b', [4], randomValues(4, 32), false);
      const sgd = new Sgd(store.params, { momentum: 0.9, weightDecay: 5e-4, decayBiasAndBn: false });
      const x = tf.tensor4d(randomValues(2 * 5 * 5 * 2, 33), [2, 5, 5, 2]);
      const outs: Float32Array[] = [];
      for (let step = 0; step < 3; step++) {
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => tf.sum<tf.Scalar>(tf.square(tf.add(tf.conv2d(x, w as tf.Tensor4D, 1, 'same'), b))), sgd.variables);
          sgd.step(grads, 0.01);
        });
        // A conv after the update: on wasm it must not reuse the operator packed with the old filter.
        // Copies: on cpu, dataSync returns the storage itself, which the next in-place step changes.
        const copy = (t: tf.Tensor) => Float32Array.from(t.dataSync());
        outs.push(
          tf.tidy(() => copy(tf.conv2d(x, w as tf.Tensor4D, 1, 'same'))),
          copy(w),
          copy(b),
        );
      }
      sgd.dispose();
      store.dispose();
      return outs;
    };
    const ref = run(false);
    const fused = run(true);
    ref.forEach((r, i) => assert.deepEqual(Array.from(fused[i]), Array.from(r), `array ${i}`));
  });
}
