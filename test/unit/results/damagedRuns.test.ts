// Never retrain over results silently: a run whose status.json cannot be read is refused
// with what is intact; duplicated epochs are named and repaired; a full disk while recording a
// failure is reported instead of thrown.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import nodeFs from 'node:fs'; // the module object itself, whose methods a test can replace
import * as os from 'node:os';
import * as path from 'node:path';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { markRunFailed, openRunSink } from '../../../src/core/results/runSink';
import { readRun, RunDamagedError, RunWriter } from '../../../src/core/results/runStore';
import { RUN_FILES, type EpochMetrics } from '../../../src/core/results/types';

const [spec] = expandGrid(validateConfig({ name: 'damaged', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 2, milestones: [1] } }));
const epoch = (n: number, testAcc = 0.5 + n / 100): EpochMetrics => ({ epoch: n, trainLoss: 1 / n, trainAcc: 0.6, testLoss: 1, testAcc, lr: 0.1, seconds: 2, imagesPerSec: 100 });

function withRunDir(body: (dir: string) => void) {
  return () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-damaged-'));
    try {
      body(path.join(root, spec.runId));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
}

/** A finished run as the trainer leaves it. */
function finishedRun(dir: string): void {
  const sink = openRunSink(dir, spec);
  sink.started('cpu');
  sink.epochFinished(epoch(1), new Uint8Array([1]));
  sink.epochFinished(epoch(2, 0.81), new Uint8Array([2]));
  sink.finished({ runId: spec.runId, finalTestAcc: 0.81, epochs: 2 } as never, { before: { edges: [0, 1], counts: [1] } }, null);
}

const snapshot = (dir: string) => Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

test(
  'a finished run whose status.json is unreadable is refused with what is intact, and restarts only when asked',
  withRunDir((dir) => {
    finishedRun(dir);
    fs.writeFileSync(path.join(dir, RUN_FILES.status), '\u0000\u0017garbage{');
    const before = snapshot(dir);
    assert.deepEqual(readRun(dir).unreadable, [RUN_FILES.status]);
    assert.throws(
      () => openRunSink(dir, spec, 'resume'),
      (e: unknown) =>
        e instanceof RunDamagedError &&
        e.message.includes(`run '${spec.runId}' in ${dir} is damaged: status.json cannot be read, so it is not trained over; `) &&
        e.message.includes('intact: config.json, 2 finished epochs in metrics.jsonl (last test accuracy 81.00%), summary.json (final test accuracy 81.00%)') &&
        /--restart/.test(e.message),
    );
    assert.deepEqual(snapshot(dir), before, 'nothing was touched');
    const restarted = openRunSink(dir, spec, 'restart');
    assert.deepEqual(restarted.resumePoint().epochs, []);
    assert.equal(readRun(dir).status?.state, 'queued');
  }),
);

test(
  'a metrics.jsonl with duplicated epochs (two writers) is named in the warnings and repaired on resume',
  withRunDir((dir) => {
    const sink = openRunSink(dir, spec);
    sink.epochFinished(epoch(1), new Uint8Array([1]));
    const metrics = path.join(dir, RUN_FILES.metrics);
    fs.writeFileSync(metrics, [epoch(1, 0.1), epoch(1, 0.2), epoch(2, 0.3), epoch(2, 0.4)].map((m) => JSON.stringify(m) + '\n').join(''));
    fs.writeFileSync(path.join(dir, RUN_FILES.status), JSON.stringify({ state: 'stopped', epoch: 2, epochs: 2, updatedAt: '' }));
    const run = readRun(dir);
    assert.deepEqual(
      run.metrics.map((m) => m.testAcc),
      [0.2, 0.4],
    );
    assert.ok(
      run.warnings.some((w) => w.startsWith('metrics.jsonl: epochs 1, 2 recorded more than once')),
      run.warnings.join('\n'),
    );
    new RunWriter(dir).open(spec, 'resume');
    assert.deepEqual(
      fs
        .readFileSync(metrics, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).testAcc),
      [0.2, 0.4],
    );
    assert.deepEqual(readRun(dir).warnings, []);
  }),
);

test(
  'recording a failure on a full disk returns why instead of throwing, and leaves the old status',
  withRunDir((dir) => {
    const sink = openRunSink(dir, spec);
    sink.started('cpu');
    const full = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    };
    const writes = mock.method(nodeFs, 'writeFileSync', full);
    try {
      assert.match(markRunFailed(dir, 'the worker was killed by SIGKILL') ?? '', /^cannot write '.*status\.json': no space left on the device/);
      assert.match(sink.failed('diverged') ?? '', /^cannot write '.*status\.json': no space left on the device/);
    } finally {
      writes.mock.restore();
    }
    assert.equal(readRun(dir).status?.state, 'running');
    assert.equal(markRunFailed(dir, 'the worker was killed by SIGKILL'), undefined, 'with space again it is recorded');
    assert.equal(readRun(dir).status?.state, 'failed');
  }),
);
