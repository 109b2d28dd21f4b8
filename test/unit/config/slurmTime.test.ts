import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../../src/core/config/validate';
import { describeSeconds, parseSlurmTime, signalMarginProblem } from '../../../src/core/config/slurmTime';

test("SLURM's own time formats: a bare number is minutes, two fields minutes:seconds", () => {
  assert.equal(parseSlurmTime('90'), 90 * 60);
  assert.equal(parseSlurmTime('12:00'), 12 * 60, "'12:00' is twelve minutes to sbatch");
  assert.equal(parseSlurmTime('12:00:00'), 12 * 3600);
  assert.equal(parseSlurmTime('1-00'), 86400, 'days-hours');
  assert.equal(parseSlurmTime('1-02:30'), 86400 + 2 * 3600 + 30 * 60, 'days-hours:minutes');
  assert.equal(parseSlurmTime('2-03:04:05'), 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
  for (const bad of ['', '1:2:3:4', '1-', 'abc', '-5', '1.5']) assert.equal(parseSlurmTime(bad), undefined, bad);
  assert.equal(describeSeconds(12 * 60), '12 min');
});

const base = { name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }] };

test('the schema takes every SLURM form and no other', () => {
  for (const time of ['90', '12:00', '12:00:00', '1-00', '1-02:30', '1-00:00:00']) validateConfig({ ...base, executor: { type: 'slurm', time } });
  for (const time of ['1:2:3:4', '1-', '12h']) assert.throws(() => validateConfig({ ...base, executor: { type: 'slurm', time } }), /time/, time);
});

test('a signal margin at or beyond the time limit is refused in one line; below it is fine', () => {
  assert.match(signalMarginProblem('2', undefined) ?? '', /signalMargin 120 s is not below executor.time '2' \(2 min;/);
  assert.equal(signalMarginProblem('2', 60), undefined);
  assert.equal(signalMarginProblem(undefined, 600), undefined);
  assert.throws(
    () => validateConfig({ ...base, executor: { type: 'slurm', time: '10:00', requeue: true, signalMargin: 600 } }),
    (e: Error) => /signalMargin 600 s is not below executor.time '10:00' \(10 min;/.test(e.message),
  );
  validateConfig({ ...base, executor: { type: 'slurm', time: '10:00:00', requeue: true, signalMargin: 600, maxRequeues: 3 } });
});
