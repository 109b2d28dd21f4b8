import { existsSync, mkdtempSync } from 'node:fs';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expandGrid } from '../../src/core/config/grid';
import { validateConfig } from '../../src/core/config/validate';
import type { RunSpec } from '../../src/core/config/types';
import { WorkerRun } from '../../src/host/workerProcess';

/** System tests drive the built worker bundle, exactly as the CLI and the extension do. */
export const WORKER = path.resolve('dist/worker.js');
export const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

export function requireBuild(): void {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run 'npm run build' first`);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function gridOf(config: unknown): RunSpec[] {
  return expandGrid(validateConfig(config, 'test config'));
}

/** Everything an epoch records except its timing: equal for the same run on the same backend. */
export const learned = (m: { epoch: number; trainLoss: number; trainAcc: number; testLoss: number; testAcc: number; lr: number }) => [m.epoch, m.trainLoss, m.trainAcc, m.testLoss, m.testAcc, m.lr];

/**
 * Trains `spec` in `runDir` to its end; with `killAt`, SIGKILLs the worker at that step first and
 * resumes. Returns the warnings the workers logged.
 */
export async function runToEnd(spec: RunSpec, runDir: string, killAt?: { epoch: number; step: number }, env?: NodeJS.ProcessEnv): Promise<string[]> {
  let killed = false;
  const warnings: string[] = [];
  const worker: WorkerRun = new WorkerRun({
    workerPath: WORKER,
    spec,
    runDir,
    resume: 'resume',
    env,
    onMessage: (msg) => {
      if (msg.type === 'log' && msg.level === 'warn') warnings.push(msg.message);
      if (killAt && !killed && msg.type === 'train' && msg.event.type === 'step' && msg.event.epoch === killAt.epoch && msg.event.step === killAt.step) {
        killed = true;
        process.kill(worker.pid!, 'SIGKILL');
      }
    },
  });
  const outcome = await worker.done;
  if (killAt) {
    assert.ok(killed && outcome.state === 'failed', `killed at epoch ${killAt.epoch}, step ${killAt.step}`);
    return [...warnings, ...(await runToEnd(spec, runDir, undefined, env))];
  }
  assert.deepEqual(outcome, { state: 'done' });
  return warnings;
}

/** Three short epochs of 8 steps with a milestone: what the kill-and-resume tests interrupt at epoch 2, step 3. */
export const RESUME_CONFIG = {
  name: 'kill',
  dataset: { name: 'fashion-mnist', trainSubset: 1024, testSubset: 256 },
  models: [{ name: 'simple-cnn', width: 0.25 }],
  losses: [{ name: 'scaled-bn', m: 0.9 }],
  seeds: [1],
  training: { epochs: 3, batchSize: 128, lr: 0.05, milestones: [2], augment: { crop: false, padding: 4, flip: true }, logEvery: 1 },
  backend: 'wasm',
};
