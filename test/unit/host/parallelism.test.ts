import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { defaultParallelRuns, defaultRunsPerGpu, laneDevices, resolveParallelRuns, type Machine } from '../../../src/host/parallelism';
import { Scheduler } from '../../../src/host/scheduler';

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

// nvidia-smi's memory.total in MiB for a 24 GB, a 40 GB and an 80 GB card.
const cuda = (...mib: number[]): Machine => ({ cores: 16, gpuNodes: ['/dev/nvidia0'], cudaGpuMiB: mib });

test('runs per GPU: one per 16 GiB of the smallest GPU, 1 to 4, unless runsPerGpu says; times the GPUs', () => {
  assert.equal(defaultRunsPerGpu(cuda(24_564)), 1);
  assert.equal(defaultRunsPerGpu(cuda(40_960)), 2);
  assert.equal(defaultRunsPerGpu(cuda(81_559)), 4);
  assert.equal(defaultRunsPerGpu(cuda(143_771)), 4, 'capped at 4');
  assert.equal(defaultRunsPerGpu(cuda(81_559, 24_564)), 1, 'the smallest GPU decides');
  assert.equal(defaultRunsPerGpu(gpu), 1, 'memory unknown');
  assert.equal(defaultParallelRuns({ backend: 'torch' }, cuda(81_559, 81_559)), 8);
  assert.equal(defaultParallelRuns({ backend: 'auto', runsPerGpu: 3 }, cuda(81_559, 81_559)), 6);
  assert.equal(defaultParallelRuns({ backend: 'wasm', runsPerGpu: 3 }, cuda(81_559)), 16, 'a CPU backend ignores it');
  assert.deepEqual(resolveParallelRuns(undefined, { backend: 'torch' }, cuda(81_559, 81_559)), { parallel: 8, source: 'default: 2 GPUs, 4 runs on each (one per 16 GiB of its memory)' });
  assert.deepEqual(resolveParallelRuns(undefined, { backend: 'torch', runsPerGpu: 1 }, cuda(81_559)), { parallel: 1, source: 'default: 1 GPU, 1 run on each' });
});

test('lanes take the GPUs in turn; none assigned with one GPU, CPU backends or LOSSLAB_TORCH_DEVICE set', () => {
  const torch = [{ backend: 'torch' as const }];
  assert.deepEqual(laneDevices(torch, 5, cuda(81_559, 81_559), {}), ['cuda:0', 'cuda:1', 'cuda:0', 'cuda:1', 'cuda:0']);
  assert.equal(laneDevices(torch, 4, cuda(81_559), {}), undefined);
  assert.equal(laneDevices([{ backend: 'wasm' }], 4, cuda(81_559, 81_559), {}), undefined);
  assert.equal(laneDevices(torch, 4, cuda(81_559, 81_559), { LOSSLAB_TORCH_DEVICE: 'cuda:1' }), undefined);
});

test("each worker of a lane gets that lane's GPU in its environment", async () => {
  const runs = expandGrid(
    validateConfig({
      name: 'gpus',
      dataset: { name: 'mnist' },
      models: [{ name: 'simple-cnn' }],
      losses: [{ name: 'ce' }],
      seeds: [1, 2, 3, 4],
      training: { epochs: 1, milestones: [1] },
      backend: 'torch',
    }),
  );
  const seen: string[] = [];
  const saved = process.env.LOSSLAB_TORCH_DEVICE;
  delete process.env.LOSSLAB_TORCH_DEVICE;
  try {
    await new Scheduler(runs, {
      workerPath: path.resolve('test/fixtures/workers/deviceWorker.js'),
      experimentDir: mkdtempSync(path.join(tmpdir(), 'losslab-lanes-')),
      parallel: 4,
      resume: 'resume',
      machine: cuda(81_559, 81_559),
      onMessage: (_runId, msg) => void (msg.type === 'log' && seen.push(msg.message)),
    }).run();
  } finally {
    if (saved !== undefined) process.env.LOSSLAB_TORCH_DEVICE = saved;
  }
  assert.deepEqual(seen.sort(), ['cuda:0', 'cuda:0', 'cuda:1', 'cuda:1']);
});
