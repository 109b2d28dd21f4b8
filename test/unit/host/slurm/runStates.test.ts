import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRecord } from '../../../../src/core/results/runReader';
import type { RunStatus } from '../../../../src/core/results/types';
import { parseQueueLines } from '../../../../src/host/slurm/slurmQueue';
import { errorLineOf, runStateOf } from '../../../../src/host/slurm/runStates';
import { describeRun } from '../../../../src/cli/slurmWatch';

function record(state: RunStatus['state'], epochs: number, reason?: string): RunRecord {
  const metrics = Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.5, lr: 0.1, seconds: 1, imagesPerSec: 1 }));
  return { dir: '/x', runId: 'r', metrics, hasCheckpoint: epochs > 0, warnings: [], status: { state, epoch: epochs, epochs: 3, updatedAt: '', ...(reason ? { reason } : {}) } };
}

test('squeue and sacct lines: array tasks and pending ranges, reasons and nodes kept, "by uid" dropped', () => {
  const tasks = parseQueueLines('12_0|PENDING|Resources|\n12_1|RUNNING|None|node07\n12_[2-3%2]|PENDING|JobArrayTaskLimit|\n13_4|CANCELLED by 1000|None|node01\n');
  assert.deepEqual(Object.fromEntries(tasks), {
    '12_0': { state: 'PENDING', reason: 'Resources' },
    '12_1': { state: 'RUNNING', node: 'node07' },
    '12_2': { state: 'PENDING', reason: 'JobArrayTaskLimit' },
    '12_3': { state: 'PENDING', reason: 'JobArrayTaskLimit' },
    '13_4': { state: 'CANCELLED', node: 'node01' },
  });
});

test('SLURM states become run states; the files decide when a run is done', () => {
  const w = { runId: 'r', epochs: 3, taskId: '12_0' };
  assert.deepEqual(runStateOf({ ...w, task: { state: 'PENDING', reason: 'Priority' } }), { runId: 'r', epoch: 0, epochs: 3, jobId: '12_0', state: 'pending', label: 'PENDING', detail: 'Priority' });
  assert.equal(runStateOf({ ...w, task: { state: 'RUNNING', node: 'n7' }, record: record('running', 1) }).detail, 'n7');
  assert.equal(runStateOf({ ...w, task: { state: 'RUNNING' }, record: record('running', 1) }).epoch, 1);
  assert.equal(runStateOf({ ...w, task: { state: 'COMPLETED' }, record: record('done', 3) }).state, 'done');
  assert.equal(runStateOf({ ...w, record: record('done', 3) }).state, 'done', 'done even after SLURM forgot the task');
  for (const [slurm, state] of [
    ['TIMEOUT', 'timeout'],
    ['PREEMPTED', 'preempted'],
    ['CANCELLED', 'cancelled'],
  ] as const) {
    const s = runStateOf({ ...w, task: { state: slurm }, record: record('stopped', 2) });
    assert.equal(s.state, state);
    assert.equal(s.label, slurm);
    assert.equal(s.detail, '2 finished epochs kept');
  }
  const stopped = runStateOf({ ...w, task: { state: 'COMPLETED' }, record: record('stopped', 1, 'stopped by the user') });
  assert.deepEqual([stopped.state, stopped.detail], ['stopped', 'stopped by the user']);
  assert.equal(runStateOf({ runId: 'r', epochs: 3 }).label, 'NOT SUBMITTED');
});

test('a FAILED task quotes the error line of its log', () => {
  const log = path.join(mkdtempSync(path.join(tmpdir(), 'losslab-log-')), '12_0.log');
  writeFileSync(log, 'losslab: task 12_0 (run r) on n1, attempt 1\n02:00:01 losslab run-one: r → /x\nlosslab run-one: r FAILED (dataset): /nope: no such folder\n');
  const s = runStateOf({ runId: 'r', epochs: 3, taskId: '12_0', task: { state: 'FAILED', reason: 'NonZeroExitCode' }, logFile: log, record: record('failed', 0, 'long message') });
  assert.deepEqual([s.state, s.label, s.detail], ['failed', 'FAILED', 'losslab run-one: r FAILED (dataset): /nope: no such folder']);
});

test('a FAILED line says where the node wrote the rest: its log', () => {
  const log = path.join(mkdtempSync(path.join(tmpdir(), 'losslab-log-')), '12_0.log');
  writeFileSync(log, 'losslab: setup line FAILED (exit 1): module load cuda\n');
  const s = runStateOf({ runId: 'r', epochs: 3, taskId: '12_0', task: { state: 'FAILED' }, logFile: log });
  assert.equal(s.log, log);
  assert.equal(describeRun(s), `r: FAILED: losslab: setup line FAILED (exit 1): module load cuda [12_0], log ${log}`);
  assert.equal(runStateOf({ runId: 'r', epochs: 3, taskId: '12_0', task: { state: 'RUNNING' }, logFile: log }).log, undefined, 'only for failures');
});

test('a NODE_FAIL task says its node failed and what was kept, not a log line cut off where the node died', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'losslab-nodefail-'));
  const logFile = path.join(dir, '12_0.log');
  writeFileSync(logFile, 'losslab: task 12_0 (run r) on vm, attempt 1\nepoch 2/3: loss 0.9\n');
  const s = runStateOf({ runId: 'r', epochs: 3, taskId: '12_0', task: { state: 'NODE_FAIL', node: 'node1' }, record: record('running', 1), logFile });
  assert.equal(describeRun(s), `r: NODE_FAIL: node node1 failed; 1 finished epoch kept [12_0], log ${logFile}`);
  assert.equal(runStateOf({ runId: 'r', epochs: 3, taskId: '12_0', task: { state: 'NODE_FAIL' } }).detail, 'its node failed; no epoch finished');
});

test("errorLineOf: Loss Lab's own error line first, else the last error-looking line, else the last line", () => {
  assert.equal(errorLineOf('start\nlosslab: cannot read /x\nbye\n'), 'losslab: cannot read /x');
  assert.equal(errorLineOf('start\nSegmentation fault error\n*** JOB 3 CANCELLED AT x ***\n'), 'Segmentation fault error');
  assert.equal(errorLineOf('one\ntwo\n'), 'two');
  assert.equal(errorLineOf(''), undefined);
});
