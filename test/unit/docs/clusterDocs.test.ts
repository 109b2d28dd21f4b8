import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../../src/core/config/validate';
import { sbatchOptions } from '../../../src/host/slurm/jobScript';

const doc = readFileSync('docs/cluster.md', 'utf8');

test("docs/cluster.md's sample GPU config is valid and gives the sbatch options its table promises", () => {
  const json = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
  assert.ok(json, 'a json block');
  const config = validateConfig(JSON.parse(json), 'docs/cluster.md');
  assert.equal(config.executor?.type, 'slurm');
  if (config.executor?.type !== 'slurm') return;
  const opts = sbatchOptions({
    experiment: config.name,
    executor: config.executor,
    threads: 1,
    runIds: ['a'],
    logDir: '/l',
    configFile: '/c',
    workDir: '/w',
    nodePath: 'node',
    cliPath: 'cli.js',
    requeue: config.executor.requeue ?? false,
  });
  for (const o of [
    '--partition=gpu',
    '--gres=gpu:1',
    '--cpus-per-task=8',
    '--mem=32G',
    '--time=12:00:00',
    '--account=my-lab',
    '--qos=normal',
    '--array=0-0%16',
    '--requeue',
    '--signal=B:TERM@120',
    '--constraint=a100',
  ]) {
    assert.ok(opts.includes(o), o);
  }
});

test('an executor field the schema does not know is one clear message', () => {
  assert.throws(
    () => validateConfig({ name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], executor: { type: 'slurm', partiton: 'gpu' } }),
    /executor: unknown field 'partiton', did you mean 'partition'\?/,
  );
  assert.throws(
    () => validateConfig({ name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], executor: { type: 'local', partition: 'gpu' } }),
    /executor: unknown field 'partition'/,
  );
  assert.throws(
    () => validateConfig({ name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], executor: { type: 'pbs' } }),
    /executor\/type.*(local, slurm|local.*slurm)/,
  );
});
