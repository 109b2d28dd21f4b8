import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import assert from 'node:assert/strict';

/** Unit tests of maths run on tfjs' reference CPU backend: exact kernels, no setup. */
export async function useCpu(): Promise<void> {
  assert.equal(await tf.setBackend('cpu'), true);
  await tf.ready();
}

/** Central finite differences of a scalar function of one tensor, in float32 (hence the moderate eps). */
export function numericGrad(f: (x: tf.Tensor) => tf.Scalar, x0: Float32Array, shape: number[], eps = 1e-2): Float32Array {
  const g = new Float32Array(x0.length);
  for (let i = 0; i < x0.length; i++) {
    const at = (d: number) =>
      tf.tidy(() => {
        const x = Float32Array.from(x0);
        x[i] += d;
        return f(tf.tensor(x, shape)).dataSync()[0];
      });
    g[i] = (at(eps) - at(-eps)) / (2 * eps);
  }
  return g;
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = 'value'): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    assert.ok(d <= tol * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]} (tol ${tol})`);
  }
}

/** Deterministic pseudo-random floats for test inputs. */
export function randomValues(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296 - 0.5) * 2 * scale;
  });
}
