// Every dataset failure is one DatasetError naming the file or the rule, and every load
// carries the summary a run prints and keeps: classes, counts, what was left out and why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { asDatasetReadError } from '../../../src/core/data/datasetFaults';
import { formatDatasetSummary } from '../../../src/core/data/datasetSummary';
import { DatasetError } from '../../../src/core/data/errors';
import { loadDataset } from '../../../src/core/data/loadDataset';
import { writeFakeMnist } from './idxFixtures';
import { CIFAR_TEST, cifarRecords, flat, pngBytes, tempDir, writeCifarFolder, writeFile } from './imageFixtures';

function writeFolders(root: string, counts: Record<string, number>): string {
  Object.entries(counts).forEach(([name, n], k) => {
    mkdirSync(join(root, name), { recursive: true });
    for (let i = 0; i < n; i++) writeFile(join(root, name, `${i}.png`), pngBytes(4, 4, flat(4, 4, [30 * k + i, i, k])));
  });
  return root;
}

const isDatasetError = (file: string, message: RegExp) => (e: unknown) => e instanceof DatasetError && e.file === file && message.test(e.message) && !/\n\s+at /.test(e.message);

test('an image folder with one class is a dataset error, not oneHot depth', () => {
  const root = writeFolders(tempDir('one-class'), { cat: 4 });
  assert.throws(
    () => loadDataset({ name: 'image-folder', path: root }, 1, { cache: false }),
    isDatasetError(root, /^image-folder: 1 class left \(cat\); add a second class folder: a classifier needs at least 2$/),
  );
  rmSync(root, { recursive: true });
});

test('a label file of one class is refused in one line naming the folder, not trained silently', () => {
  const dir = writeFakeMnist({ trainLabels: [3, 3, 3, 3], testLabels: [1, 3] });
  assert.throws(
    () => loadDataset({ name: 'mnist', path: dir }, 1, { cache: false }),
    isDatasetError(dir, /^mnist: all 4 training images are of one class \(label 3\) in .*losslab-mnist-\w+: a classifier needs at least 2 classes to learn$/),
  );
  const subset = writeFakeMnist({ trainLabels: [3, 3, 1, 2], testLabels: [1, 3] });
  assert.throws(
    () => loadDataset({ name: 'mnist', path: subset, trainSubset: 2 }, 1, { cache: false }),
    isDatasetError(subset, /all 2 training images are of one class \(label 3\) after dataset\.trainSubset/),
  );
  rmSync(dir, { recursive: true });
  rmSync(subset, { recursive: true });
});

test('a constant channel (std 0) is left unscaled and the dataset summary says so, not a RangeError', () => {
  const root = tempDir('constant-blue');
  ['cat', 'dog'].forEach((name, k) => {
    for (let i = 0; i < 3; i++) writeFile(join(root, name, `${i}.png`), pngBytes(4, 4, flat(4, 4, [40 * k + 10 * i, 5 * i + k, 7])));
  });
  const ds = loadDataset({ name: 'image-folder', path: root }, 1, { cache: false });
  assert.equal(ds.std[2], 1);
  assert.ok(ds.std[0] > 0 && ds.std[0] !== 1);
  const summary = formatDatasetSummary(ds.summary!);
  assert.ok(summary.includes('  warning: channel 2 is constant over the training images (std 0): it is centred but not scaled (std taken as 1)'), summary.join('\n'));
  rmSync(root, { recursive: true });
});

test('FaceScrub leaving one identity names the minImagesPerClass rule', () => {
  const root = writeFolders(tempDir('one-face'), { Alice: 6, Bob: 2 });
  assert.throws(
    () => loadDataset({ name: 'facescrub', path: root, minImagesPerClass: 5, imageSize: 4 }, 1, { cache: false }),
    isDatasetError(root, /facescrub: 1 identity left \(Alice\) with at least dataset\.minImagesPerClass = 5 images/),
  );
  rmSync(root, { recursive: true });
});

test('an unreadable CIFAR file (a folder where the file should be) is a dataset error naming it', () => {
  const root = tempDir('cifar-unreadable');
  const dir = writeCifarFolder(root, cifarRecords([[0, 1]]), cifarRecords(CIFAR_TEST));
  const train = join(dir, 'train.bin');
  rmSync(train);
  mkdirSync(train);
  assert.throws(() => loadDataset({ name: 'cifar100', path: dir }, 1, { cache: false }), isDatasetError(train, /^cifar100: cannot read '.*train\.bin': is a folder, not a file$/));
  rmSync(root, { recursive: true });
});

test('an identity folder that cannot be read (a dangling link) is a dataset error naming it', () => {
  const root = writeFolders(tempDir('faces-unreadable'), { Alice: 3, Bob: 3 });
  const broken = join(root, 'Carol');
  symlinkSync(join(root, 'gone'), broken);
  assert.throws(() => loadDataset({ name: 'facescrub', path: root, minImagesPerClass: 2, imageSize: 4 }, 1, { cache: false }), isDatasetError(broken, /^facescrub: cannot read '.*Carol'/));
  rmSync(root, { recursive: true });
});

test('permission denied on a dataset path reads as one line naming it (root cannot provoke EACCES, so it is built)', () => {
  const err = Object.assign(new Error("EACCES: permission denied, scandir '/data/faces/Bob'"), { code: 'EACCES', syscall: 'scandir', path: '/data/faces/Bob', errno: -13 });
  const converted = asDatasetReadError(err, 'facescrub');
  assert.ok(converted instanceof DatasetError);
  assert.equal(converted.file, '/data/faces/Bob');
  assert.equal(converted.message, "facescrub: cannot read '/data/faces/Bob': permission denied");
  const write = Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', syscall: 'write', path: '/data/.losslab-cache/x' });
  assert.equal(asDatasetReadError(write, 'facescrub'), write, 'a failed cache write stays a file fault');
});

test('subsets larger than the data say the size actually used', () => {
  const dir = writeFakeMnist({ trainLabels: [0, 1, 0, 1, 0, 1] });
  const ds = loadDataset({ name: 'mnist', path: dir, trainSubset: 2147483648, testSubset: 50 }, 1);
  assert.equal(ds.train.count, 6);
  assert.deepEqual(ds.summary?.warnings, [
    'train: all 6 images used (dataset.trainSubset 2147483648 is more than the 6 there are)',
    'test: all 3 images used (dataset.testSubset 50 is more than the 3 there are)',
  ]);
  rmSync(dir, { recursive: true });
});

test('the summary counts classes and images and says what was subset, dropped and skipped', () => {
  const dir = writeFakeMnist({ trainLabels: [0, 1, 0, 1, 0, 1, 0, 1] });
  const s = loadDataset({ name: 'mnist', path: dir, trainSubset: 4 }, 1).summary!;
  assert.deepEqual(
    { ...s, source: undefined },
    { name: 'mnist', source: undefined, classes: 10, imageShape: [28, 28, 1], train: 4, test: 3, evaluation: 'test', notes: ['train: first 4 of 8'], warnings: [] },
  );
  assert.equal(s.source, dir);
  assert.deepEqual(formatDatasetSummary(s), ['mnist: 10 classes, 4 train / 3 test images (28×28×1)', `  from ${dir}`, '  train: first 4 of 8']);
  rmSync(dir, { recursive: true });

  const faces = writeFolders(tempDir('faces-summary'), { Alice: 5, Bob: 5, Carol: 2, Dave: 1 });
  writeFile(join(faces, 'Alice', 'broken.png'), 'not a png');
  const f = loadDataset({ name: 'facescrub', path: faces, minImagesPerClass: 4, imageSize: 4, testFraction: 0.2 }, 1, { cache: false }).summary!;
  assert.equal(f.classes, 2);
  assert.deepEqual([f.train, f.test], [8, 2]);
  assert.deepEqual(f.notes, ['dropped 2 identities with fewer than 4 images (dataset.minImagesPerClass): Carol (2), Dave (1)']);
  assert.equal(f.warnings.length, 1);
  assert.match(f.warnings[0], /^skipped 1 of 11 images .*broken\.png/);
  rmSync(faces, { recursive: true });
});
