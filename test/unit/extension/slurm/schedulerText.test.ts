import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecutorRunStatus } from '../../../../src/host/executor';
import { schedulerText, slurmRequestRefusal, summarize, withExecutorSetting } from '../../../../src/extension/slurm/schedulerText';
import { validateConfig } from '../../../../src/core/config/validate';

const base = { runId: 'r', epoch: 1, epochs: 3 };
const s = (x: Partial<ExecutorRunStatus>): ExecutorRunStatus => ({ ...base, state: 'unknown', label: 'UNKNOWN', ...x });

test('the view names SLURM states with their reason, node or error line', () => {
  assert.equal(schedulerText(s({ state: 'pending', label: 'PENDING', detail: 'Priority' })), 'PENDING (Priority)');
  assert.equal(schedulerText(s({ state: 'running', label: 'RUNNING', detail: 'gpu07' })), 'RUNNING on gpu07');
  assert.equal(schedulerText(s({ state: 'failed', label: 'FAILED', detail: 'losslab run-one: r FAILED (dataset): …' })), 'FAILED: losslab run-one: r FAILED (dataset): …');
  assert.equal(schedulerText(s({ state: 'timeout', label: 'TIMEOUT', detail: '1 finished epoch kept' })), 'TIMEOUT');
  assert.equal(summarize([s({ label: 'RUNNING' }), s({ label: 'PENDING' }), s({ label: 'RUNNING' })]), '2 RUNNING · 1 PENDING');
});

test('lossLab.executor: config keeps the config, local and slurm override it (slurm keeps its fields)', () => {
  const plain = validateConfig({ name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }] });
  const onGpu = validateConfig({ ...plain, executor: { type: 'slurm', partition: 'gpu' } });
  assert.equal(withExecutorSetting(plain, 'config').executor, undefined);
  assert.deepEqual(withExecutorSetting(plain, 'slurm').executor, { type: 'slurm' });
  assert.deepEqual(withExecutorSetting(onGpu, 'slurm').executor, onGpu.executor);
  assert.deepEqual(withExecutorSetting(onGpu, 'local').executor, { type: 'local' });
});

test('Run on a SLURM grid refuses restarting or extending by name instead of ignoring it', () => {
  assert.equal(slurmRequestRefusal({}), undefined);
  assert.equal(slurmRequestRefusal({ stale: 'keep' }), undefined);
  // A search is refused whatever is asked: submitted as a plain array, its trials would never pause at their rungs.
  assert.match(slurmRequestRefusal({}, true) ?? '', /^Loss Lab: a search runs on SLURM from a terminal, .*losslab run <config> --executor slurm/);
  assert.match(slurmRequestRefusal({ restart: true }) ?? '', /^Loss Lab: restarting runs from scratch is not supported with the SLURM executor/);
  assert.match(slurmRequestRefusal({ stale: 'extend' }) ?? '', /extending stale runs is not supported/);
  assert.match(slurmRequestRefusal({ restart: true, stale: 'retrain' }) ?? '', /restarting runs from scratch and retraining stale runs is not supported.*set lossLab.executor to local/);
});
