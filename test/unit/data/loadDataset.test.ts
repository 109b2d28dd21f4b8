import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../../../src/core/data/errors';
import { loadDataset } from '../../../src/core/data/loadDataset';
import { loadMnistLike } from '../../../src/core/data/mnistLike';
import { channelStats } from '../../../src/core/data/split';
import { writeFakeMnist } from './idxFixtures';

const trainLabels = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];

test('loadDataset without options returns the folder as loaded', () => {
  const dir = writeFakeMnist({ trainLabels });
  const ds = loadDataset({ name: 'mnist', path: dir }, 1);
  const raw = loadMnistLike('mnist', dir);
  assert.equal(ds.train.count, 10);
  assert.equal(ds.test.count, 3);
  assert.deepEqual(ds.mean, raw.mean);
  assert.equal(ds.source, dir);
  rmSync(dir, { recursive: true });
});

test('trainSubset and testSubset take the first images; stats follow the subset', () => {
  const dir = writeFakeMnist({ trainLabels });
  const ds = loadDataset({ name: 'fashion-mnist', path: dir, trainSubset: 4, testSubset: 2 }, 1);
  assert.equal(ds.train.count, 4);
  assert.equal(ds.test.count, 2);
  assert.deepEqual(Array.from(ds.test.labels), [9, 2]);
  assert.deepEqual(ds.mean, channelStats(ds.train, 28, 28, 1).mean);
  assert.match(ds.source, /first 4 of 10/);
  rmSync(dir, { recursive: true });
});

test('shuffleSubset takes a seeded random training subset; the test subset stays the first images', () => {
  const dir = writeFakeMnist({ trainLabels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
  const cfg = { name: 'fashion-mnist' as const, path: dir, trainSubset: 4, testSubset: 2, shuffleSubset: true };
  const a = loadDataset(cfg, 1);
  assert.equal(a.train.count, 4);
  assert.deepEqual(Array.from(a.test.labels), [9, 2]);
  assert.deepEqual(loadDataset(cfg, 1).train.labels, a.train.labels);
  const draws = [1, 2, 3, 4, 5].map((seed) => Array.from(loadDataset(cfg, seed).train.labels).join());
  assert.ok(new Set(draws).size > 1);
  assert.ok(draws.some((d) => d !== '0,1,2,3'));
  assert.match(a.source, /train: 4 of 10 after a seeded shuffle \(seed 1\)/);
  assert.match(a.source, /test: first 2 of 3 \(not shuffled: the same images for every run\)/);
  rmSync(dir, { recursive: true });
});

test('validationFraction replaces the test split with a seeded hold-out and says so', () => {
  const dir = writeFakeMnist({ trainLabels });
  const ds = loadDataset({ name: 'fashion-mnist', path: dir, validationFraction: 0.2 }, 3);
  assert.equal(ds.train.count, 8);
  assert.equal(ds.test.count, 2);
  assert.deepEqual(Array.from(ds.test.labels).sort(), [0, 1]);
  assert.match(ds.source, /hold-out/);
  assert.deepEqual(ds.mean, channelStats(ds.train, 28, 28, 1).mean);
  const again = loadDataset({ name: 'fashion-mnist', path: dir, validationFraction: 0.2 }, 3);
  assert.deepEqual(again.test.images, ds.test.images);
  rmSync(dir, { recursive: true });
});

test('validation holds out a stratified split beside the test split, disjoint from training', () => {
  // Ten images of two classes whose first pixels (31·n) tell them apart: where each image went is readable.
  const dir = writeFakeMnist({ trainLabels });
  const ds = loadDataset({ name: 'fashion-mnist', path: dir, validation: 0.2 }, 3);
  const firstPixels = (split: { images: Uint8Array; count: number }) => Array.from({ length: split.count }, (_, i) => split.images[i * 784]);
  assert.equal(ds.test.count, 3, 'the test split is untouched');
  assert.equal(ds.train.count, 8);
  assert.equal(ds.validation!.count, 2);
  assert.deepEqual(Array.from(ds.validation!.labels).sort(), [0, 1], 'one of each class');
  const train = new Set(firstPixels(ds.train));
  for (const p of firstPixels(ds.validation!)) assert.ok(!train.has(p), `validation image ${p} is also a training image`);
  assert.equal(ds.summary!.validation, 2);
  assert.equal(ds.summary!.evaluation, 'test');
  assert.match(ds.source, /validation: stratified 0.2 hold-out of train \(2 images, seed 3\), beside the test split/);
  // The same seed gives the same hold-out as validationFraction (which replaces test with it).
  const replaced = loadDataset({ name: 'fashion-mnist', path: dir, validationFraction: 0.2 }, 3);
  assert.deepEqual(ds.validation!.images, replaced.test.images);
  assert.throws(() => loadDataset({ name: 'fashion-mnist', path: dir, validation: 0.2, validationFraction: 0.2 }, 3), /cannot both be set/);
  assert.throws(() => loadDataset({ name: 'fashion-mnist', path: dir, validation: 1 }, 3), /dataset.validation must be between 0 and 1/);
  rmSync(dir, { recursive: true });
});

test('datasets without a path read the Loss Lab data folder and say how to fill it; bad options are DatasetErrors', () => {
  const saved = process.env.LOSSLAB_DATA_DIR;
  process.env.LOSSLAB_DATA_DIR = join(tmpdir(), 'losslab-no-such-data-root');
  try {
    const cifar = join(process.env.LOSSLAB_DATA_DIR, 'cifar100');
    assert.throws(
      () => loadDataset({ name: 'cifar100' }, 1),
      (e: unknown) => e instanceof DatasetError && e.file === cifar && /losslab download cifar100/.test(e.message),
    );
    assert.throws(
      () => loadDataset({ name: 'tiny-imagenet' }, 1),
      (e: unknown) => e instanceof DatasetError && /losslab download tiny-imagenet/.test(e.message),
    );
    assert.throws(
      () => loadDataset({ name: 'facescrub' }, 1),
      (e: unknown) => e instanceof DatasetError && /URL lists/.test(e.message),
    );
  } finally {
    if (saved === undefined) delete process.env.LOSSLAB_DATA_DIR;
    else process.env.LOSSLAB_DATA_DIR = saved;
  }
  assert.throws(() => loadDataset({ name: 'mnist', trainSubset: 0 }, 1), DatasetError);
  assert.throws(() => loadDataset({ name: 'mnist', validationFraction: 1.5 }, 1), DatasetError);
});

test('MNIST without a path falls back to the downloaded copy when Debian has none', { skip: existsSync('/usr/share/datasets/mnist') }, () => {
  const root = mkdtempSync(join(tmpdir(), 'losslab-data-root-'));
  renameSync(writeFakeMnist({ trainLabels }), join(root, 'mnist'));
  const saved = process.env.LOSSLAB_DATA_DIR;
  process.env.LOSSLAB_DATA_DIR = root;
  try {
    const ds = loadDataset({ name: 'mnist' }, 1);
    assert.equal(ds.source, join(root, 'mnist'));
    assert.equal(ds.train.count, 10);
  } finally {
    if (saved === undefined) delete process.env.LOSSLAB_DATA_DIR;
    else process.env.LOSSLAB_DATA_DIR = saved;
    rmSync(root, { recursive: true });
  }
});
