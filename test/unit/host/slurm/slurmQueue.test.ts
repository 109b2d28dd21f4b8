import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandTaskIds, parseQueueLines, queryTasks, taskStateOf } from '../../../../src/host/slurm/slurmQueue';
import { runStateOf, UNREACHABLE } from '../../../../src/host/slurm/runStates';

test('array tasks cancelled before they start: ranges and a bare array line stand for their tasks', () => {
  assert.deepEqual(expandTaskIds('123_[4-7]'), ['123_4', '123_5', '123_6', '123_7']);
  assert.deepEqual(expandTaskIds('123_[1,3,5-6%2]'), ['123_1', '123_3', '123_5', '123_6']);
  assert.deepEqual(expandTaskIds('123_4'), ['123_4']);
  assert.deepEqual(expandTaskIds('123.batch'), []);
  const view = { tasks: parseQueueLines('29|CANCELLED by 0|None|\n30_0|COMPLETED|None|n1\n30_[1-2]|CANCELLED by 0|None|\n') };
  assert.equal(taskStateOf(view, '29_3')?.state, 'CANCELLED', 'the whole array, none of whose tasks started');
  assert.equal(taskStateOf(view, '30_2')?.state, 'CANCELLED');
  assert.equal(taskStateOf(view, '30_0')?.state, 'COMPLETED');
  const s = runStateOf({ runId: 'r', epochs: 3, taskId: '30_2', task: taskStateOf(view, '30_2') });
  assert.equal(s.label, 'CANCELLED', 'not UNKNOWN');
});

/** squeue and sacct stand-ins that log their arguments and answer as told. */
function fakeSlurm(squeue: string, sacct = 'echo "Slurm accounting storage is disabled" >&2; exit 1') {
  const dir = mkdtempSync(path.join(tmpdir(), 'losslab-fakeslurm-'));
  for (const [name, body] of [
    ['squeue', squeue],
    ['sacct', sacct],
  ]) {
    writeFileSync(path.join(dir, name), `#!/bin/sh\necho "${name} $*" >> ${dir}/calls\n${body}\n`);
    chmodSync(path.join(dir, name), 0o755);
  }
  const calls = () => readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n');
  return { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, calls, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('one squeue for every job of the grid, however many submissions', async () => {
  const fake = fakeSlurm(`printf '7_0|RUNNING|None|n1\\n8_0|PENDING|Priority|\\n9_0|COMPLETED|None|n1\\n'`);
  try {
    const view = await queryTasks(['7', '8', '9'], fake.env);
    assert.equal(view.unreachable, undefined);
    assert.equal(view.tasks.size, 3);
    assert.deepEqual(fake.calls(), ['squeue -h -r -t all -j 7,8,9 -o %i|%T|%r|%N']);
  } finally {
    fake.done();
  }
});

test('a job slurmctld forgot is an answer (sacct is asked), not a controller out of reach', async () => {
  const fake = fakeSlurm('echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1');
  try {
    const view = await queryTasks(['7'], fake.env);
    assert.equal(view.unreachable, undefined);
    assert.equal(fake.calls().length, 2, 'squeue, then sacct');
    const s = runStateOf({ runId: 'r', epochs: 3, taskId: '7_0', task: taskStateOf(view, '7_0') });
    assert.match(s.detail ?? '', /SLURM no longer knows task 7_0/);
  } finally {
    fake.done();
  }
});

test('a controller that cannot be reached is said so: the run is UNREACHABLE, not forgotten', async () => {
  const fake = fakeSlurm('echo "slurm_load_jobs error: Unable to contact slurm controller (connect failure)" >&2; exit 1');
  try {
    const view = await queryTasks(['7'], fake.env);
    assert.equal(view.unreachable, 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)');
    const s = runStateOf({ runId: 'r', epochs: 3, taskId: '7_0', task: taskStateOf(view, '7_0'), unreachable: view.unreachable });
    assert.equal(s.label, UNREACHABLE);
    assert.equal(s.state, 'unknown');
    assert.match(s.detail ?? '', /^cannot reach the SLURM controller \(slurm_load_jobs error: Unable to contact slurm controller \(connect failure\)\); task 7_0 may still be queued or running$/);
    assert.doesNotMatch(s.detail ?? '', /no longer knows/);
  } finally {
    fake.done();
  }
});
