// `losslab run` prints the dataset summary when a run starts and keeps it as the run's dataset.json;
// a dataset that cannot train (one class) fails as a dataset error in one line, never a TF.js stack.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readRun } from '../../src/core/results/runReader';
import { writeFakeMnist } from '../unit/data/idxFixtures';
import { flat, pngBytes, writeFile } from '../unit/data/imageFixtures';
import { requireBuild, tempDir } from './helpers';

before(requireBuild);

const CLI = path.resolve('dist/cli.js');
const TRAINING = { epochs: 1, batchSize: 4, milestones: [1], augment: { crop: false, padding: 0, flip: false } };

function run(root: string, config: object) {
  const file = path.join(root, 'x.losslab.json');
  fs.writeFileSync(file, JSON.stringify({ models: [{ name: 'simple-cnn', width: 0.25 }], losses: [{ name: 'ce' }], training: TRAINING, backend: 'cpu', ...config }));
  return spawnSync(process.execPath, [CLI, 'run', file, '--out', path.join(root, 'runs')], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
}

test('the dataset summary is printed at the start of a run and written with it', () => {
  const root = tempDir('losslab-dsum-');
  const data = writeFakeMnist({ trainLabels: [0, 1, 2, 3, 4, 5, 6, 7], testLabels: [1, 2, 3] });
  try {
    const r = run(root, { name: 'summary', dataset: { name: 'mnist', path: data, trainSubset: 1000 } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /dataset mnist: 10 classes, 8 train \/ 3 test images \(28×28×1\)\n {2}from .*\n {2}warning: train: all 8 images used \(dataset\.trainSubset 1000 is more than the 8 there are\)/,
    );
    const [runDir] = fs.readdirSync(path.join(root, 'runs', 'summary'), { withFileTypes: true }).filter((d) => d.isDirectory());
    const record = readRun(path.join(root, 'runs', 'summary', runDir.name));
    assert.equal(record.dataset?.train, 8);
    assert.equal(record.dataset?.classes, 10);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(data, { recursive: true, force: true });
  }
});

test('an image folder with one class fails as a dataset error in one line', () => {
  const root = tempDir('losslab-oneclass-');
  const images = path.join(root, 'images');
  for (let i = 0; i < 4; i++) writeFile(path.join(images, 'cat', `${i}.png`), pngBytes(8, 8, flat(8, 8, [i * 40, 0, 0])));
  try {
    const r = run(root, { name: 'one-class', dataset: { name: 'image-folder', path: images } });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /FAILED \(dataset\): image-folder: 1 class left \(cat\); add a second class folder: a classifier needs at least 2\n/);
    assert.doesNotMatch(r.stdout + r.stderr, /oneHot|\n\s+at /);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
