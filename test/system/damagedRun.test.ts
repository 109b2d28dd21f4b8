// `losslab run` over a damaged run: an unreadable status.json or a checkpoint of random
// bytes fails that run in one line naming --restart, leaves its results as they were, and
// --restart trains it from scratch.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../src/core/config/grid';
import { validateConfig } from '../../src/core/config/validate';
import { openRunSink } from '../../src/core/results/runSink';
import { readRun } from '../../src/core/results/runReader';
import { RUN_FILES } from '../../src/core/results/types';
import { writeFakeMnist } from '../unit/data/idxFixtures';
import { requireBuild, tempDir } from './helpers';

before(requireBuild);

const CLI = path.resolve('dist/cli.js');

function setUp(damage: (runDir: string) => void) {
  const root = tempDir('losslab-damaged-');
  const data = writeFakeMnist({ trainLabels: [0, 1, 2, 3, 0, 1, 2, 3], testLabels: [1, 2, 3] });
  const config = {
    name: 'damaged',
    dataset: { name: 'mnist', path: data },
    models: [{ name: 'simple-cnn', width: 0.25 }],
    losses: [{ name: 'ce' }],
    seeds: [1],
    training: { epochs: 2, batchSize: 4, milestones: [1], augment: { crop: false, padding: 0, flip: false } },
    backend: 'cpu',
    outputDir: 'runs',
  };
  const file = path.join(root, 'd.losslab.json');
  fs.writeFileSync(file, JSON.stringify(config));
  const [spec] = expandGrid(validateConfig({ ...config, dataset: { ...config.dataset }, outputDir: path.join(root, 'runs') }));
  const runDir = path.join(root, 'runs', 'damaged', spec.runId);
  const sink = openRunSink(runDir, spec);
  sink.started('cpu');
  sink.epochFinished({ epoch: 1, trainLoss: 1.2, trainAcc: 0.5, testLoss: 1.3, testAcc: 0.625, lr: 0.1, seconds: 1, imagesPerSec: 8 }, new Uint8Array(16));
  sink.stopped('test');
  damage(runDir);
  const cli = (...extra: string[]) => spawnSync(process.execPath, [CLI, 'run', file, ...extra], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  const cleanUp = () => [root, data].forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  return { runDir, cli, cleanUp };
}

test('an unreadable status.json: refused as damaged, nothing touched; --restart trains it anew', () => {
  const { runDir, cli, cleanUp } = setUp((dir) => fs.writeFileSync(path.join(dir, RUN_FILES.status), randomBytes(64)));
  try {
    const metrics = fs.readFileSync(path.join(runDir, RUN_FILES.metrics), 'utf8');
    const r = cli();
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /FAILED \(damaged\): run '.*' in .* is damaged: status\.json cannot be read, so it is not trained over; intact: config\.json, 1 finished epoch in metrics\.jsonl \(last test accuracy 62\.50%\), checkpoint\.bin\. .*--restart/,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /);
    assert.equal(fs.readFileSync(path.join(runDir, RUN_FILES.metrics), 'utf8'), metrics);
    const again = cli('--restart');
    assert.equal(again.status, 0, again.stdout + again.stderr);
    assert.equal(readRun(runDir).status?.state, 'done');
  } finally {
    cleanUp();
  }
});

test('a checkpoint of random bytes: one line naming --restart, the finished epoch kept', () => {
  const { runDir, cli, cleanUp } = setUp((dir) => fs.writeFileSync(path.join(dir, RUN_FILES.checkpoint), randomBytes(4096)));
  try {
    const r = cli();
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /FAILED \(damaged\): .*checkpoint is damaged \(not a Loss Lab checkpoint\): this run cannot resume from it; its finished epochs are kept in metrics\.jsonl\. Run again with --restart/,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /RangeError|\n\s+at /);
    assert.deepEqual(
      readRun(runDir).metrics.map((m) => m.epoch),
      [1],
    );
    assert.equal(readRun(runDir).status?.state, 'failed');
  } finally {
    cleanUp();
  }
});

test("a torn last line of metrics.jsonl with that epoch's checkpoint: one line naming --restart, never a TypeError", () => {
  const { runDir, cli, cleanUp } = setUp((dir) => {
    // Epoch 2's checkpoint was written, its metrics line only in part.
    const header = Buffer.from(JSON.stringify({ epoch: 2, tensors: [] }));
    const bytes = Buffer.alloc(8 + header.length);
    bytes.write('LLCK', 0, 'latin1');
    bytes.writeUInt32LE(header.length, 4);
    header.copy(bytes, 8);
    fs.writeFileSync(path.join(dir, RUN_FILES.checkpoint), bytes);
    fs.appendFileSync(path.join(dir, RUN_FILES.metrics), '{"epoch":2,"trainLoss":1.1,"tra');
  });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = cli();
      assert.equal(r.status, 1);
      assert.match(r.stdout, /FAILED \(damaged\): .*checkpoint is damaged \(it holds epoch 2, but metrics\.jsonl is intact only up to epoch 1: .*not trusted\).*--restart/);
      assert.doesNotMatch(r.stdout + r.stderr, /TypeError|internal|\n\s+at /);
    }
    assert.deepEqual(
      readRun(runDir).metrics.map((m) => m.epoch),
      [1],
    );
    const again = cli('--restart');
    assert.equal(again.status, 0, again.stdout + again.stderr);
    assert.equal(readRun(runDir).status?.state, 'done');
  } finally {
    cleanUp();
  }
});
