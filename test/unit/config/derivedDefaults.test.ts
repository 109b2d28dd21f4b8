import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../../src/core/config/validate';
import { expandGrid } from '../../../src/core/config/grid';
import { sbatchOptions } from '../../../src/host/slurm/jobScript';

const base = { name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }] };

test('under SLURM a run trains on the cores it reserves: threads follow cpusPerRun unless written', () => {
  const config = validateConfig({ ...base, executor: { type: 'slurm', cpusPerRun: 8 } });
  assert.equal(config.threads, 8);
  assert.equal(expandGrid(config)[0].threads, 8, 'each run spec carries them to its worker');
  assert.equal(validateConfig({ ...base, threads: 2, executor: { type: 'slurm', cpusPerRun: 8 } }).threads, 2, 'written threads win');
  assert.equal(validateConfig({ ...base, executor: { type: 'slurm' } }).threads, 1);
  assert.equal(validateConfig(base).threads, 1);
});

test('threads alone still reserve as many CPUs', () => {
  const config = validateConfig({ ...base, threads: 4, executor: { type: 'slurm' } });
  if (config.executor?.type !== 'slurm') throw new Error('slurm');
  const opts = sbatchOptions({
    experiment: 'x',
    executor: config.executor,
    threads: config.threads!,
    runIds: ['a'],
    logDir: '/l',
    configFile: '/c',
    workDir: '/w',
    nodePath: 'node',
    cliPath: 'cli.js',
    requeue: false,
  });
  assert.ok(opts.includes('--cpus-per-task=4'));
});
