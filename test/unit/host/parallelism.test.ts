import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultParallelRuns, resolveParallelRuns, type Machine } from '../../../src/host/parallelism';

const cpu16: Machine = { cores: 16, gpuNodes: [] };
const cpu2: Machine = { cores: 2, gpuNodes: [] };
const gpu: Machine = { cores: 16, gpuNodes: ['/dev/nvidia0'] };

test('CPU backends: one run per `threads` cores, at least one', () => {
  assert.equal(defaultParallelRuns({ backend: 'wasm' }, cpu2), 2);
  assert.equal(defaultParallelRuns({ backend: 'wasm', threads: 2 }, cpu2), 1);
  assert.equal(defaultParallelRuns({ backend: 'wasm', threads: 4 }, cpu16), 4);
  assert.equal(defaultParallelRuns({ backend: 'wasm', threads: 3 }, cpu16), 5, '16 / 3 rounded down');
  assert.equal(defaultParallelRuns({ backend: 'cpu', threads: 64 }, cpu16), 1);
  assert.equal(defaultParallelRuns({ backend: 'auto' }, cpu16), 16);
});

test('GPU backends and tfjs-node train one run at a time; auto does where an NVIDIA GPU is visible', () => {
  for (const backend of ['tensorflow-gpu', 'webgpu', 'tensorflow'] as const) assert.equal(defaultParallelRuns({ backend }, cpu16), 1, backend);
  assert.equal(defaultParallelRuns({ backend: 'auto' }, gpu), 1);
  assert.equal(defaultParallelRuns({ backend: 'wasm' }, gpu), 16, 'an explicit CPU backend ignores the GPU');
});

test('torch: one run at a time on its GPU (CUDA, Apple MPS), one run per `threads` cores on the CPU', () => {
  assert.equal(defaultParallelRuns({ backend: 'torch' }, gpu), 1);
  assert.equal(defaultParallelRuns({ backend: 'torch' }, { cores: 10, gpuNodes: [], appleGpu: true }), 1);
  assert.equal(defaultParallelRuns({ backend: 'auto' }, { cores: 10, gpuNodes: [], appleGpu: true }), 1);
  assert.equal(defaultParallelRuns({ backend: 'torch' }, cpu2), 2);
  assert.equal(defaultParallelRuns({ backend: 'torch', threads: 2 }, cpu2), 1);
});

test('precedence: the caller, then the config, then the machine default, with the reason', () => {
  assert.deepEqual(resolveParallelRuns(3, { backend: 'wasm', parallelRuns: 1 }, cpu16), { parallel: 3, source: 'set for this run' });
  assert.deepEqual(resolveParallelRuns(undefined, { backend: 'wasm', parallelRuns: 1 }, cpu16), { parallel: 1, source: "the config's parallelRuns" });
  assert.deepEqual(resolveParallelRuns(undefined, { backend: 'wasm', threads: 2 }, cpu16), { parallel: 8, source: 'default: 16 cores, 2 threads per run' });
});
