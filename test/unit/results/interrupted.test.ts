import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderTable } from '../../../src/cli/tableCommand';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { openRunSink } from '../../../src/core/results/runSink';
import { readRun } from '../../../src/core/results/runReader';
import { RUN_FILES, type RunStatus } from '../../../src/core/results/types';

const config = validateConfig({ name: 'kill9', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], seeds: [1], training: { epochs: 3, milestones: [2] } });
const [spec] = expandGrid(config);

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function runningRun(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-kill9-')), spec.runId);
  const sink = openRunSink(dir, spec);
  sink.started('cpu');
  sink.epochFinished({ epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.5, lr: 0.1, seconds: 1, imagesPerSec: 10 }, new Uint8Array([1]));
  return dir;
}

const editStatus = (dir: string, change: Partial<RunStatus>) => {
  const file = path.join(dir, RUN_FILES.status);
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...change }));
};

test('status.json records the writing process; while it lives the run reads as running', () => {
  const dir = runningRun();
  try {
    const run = readRun(dir);
    assert.equal(run.status?.pid, process.pid);
    assert.equal(run.status?.host, os.hostname());
    assert.equal(run.status?.state, 'running');
    assert.equal(run.interrupted, undefined);
    assert.deepEqual(run.warnings, []);
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test("a 'running' status whose process is gone (kill -9) reads as interrupted, in readRun and in the table", () => {
  const dir = runningRun();
  try {
    const pid = deadPid();
    editStatus(dir, { pid });
    const run = readRun(dir);
    assert.deepEqual(run.interrupted, { pid, state: 'running' });
    assert.equal(run.status?.state, 'stopped');
    const reason = `interrupted: status.json says running, but its process (pid ${pid}) is gone; its 1 finished epoch is kept; run it again to resume`;
    assert.equal(run.status?.reason, reason);
    assert.deepEqual(run.warnings, [reason]);
    assert.deepEqual(renderTable(path.dirname(dir)).warnings, [`${spec.runId}: ${reason}`]);

    editStatus(dir, { host: 'another-machine' });
    assert.equal(readRun(dir).status?.state, 'running', "another machine's pid says nothing here");
    editStatus(dir, { host: os.hostname(), pid: undefined });
    assert.equal(readRun(dir).status?.state, 'running', 'a status from before pids were recorded is left alone');
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
