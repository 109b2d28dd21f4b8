import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { loadCifar100 } from '../../../src/core/data/cifar100';
import { DatasetError } from '../../../src/core/data/errors';
import { loadDataset } from '../../../src/core/data/loadDataset';
import { channelStats } from '../../../src/core/data/split';
import type { ImageDataset } from '../../../src/core/data/types';
import { CIFAR_TEST, CIFAR_TRAIN, cifarPixel, cifarRecords, tempDir, writeCifarFolder, writeFile } from './imageFixtures';

function checkPixels(ds: ImageDataset): void {
  for (const [split, offset] of [
    [ds.train, 0],
    [ds.test, 100],
  ] as const) {
    for (let n = 0; n < split.count; n++)
      for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) for (let c = 0; c < 3; c++) assert.equal(split.images[((n * 32 + y) * 32 + x) * 3 + c], cifarPixel(n + offset, y, x, c));
  }
}

const errorWith =
  (file: string, ...patterns: RegExp[]) =>
  (e: unknown) =>
    e instanceof DatasetError && e.file === file && patterns.every((p) => p.test(e.message));

test('the extracted folder: fine labels, NHWC pixels, names, stats', () => {
  const root = tempDir('cifar');
  const dir = writeCifarFolder(root);
  for (const p of [root, dir]) {
    const ds = loadCifar100(p);
    assert.deepEqual([ds.height, ds.width, ds.channels, ds.numClasses], [32, 32, 3, 100]);
    assert.deepEqual(
      Array.from(ds.train.labels),
      CIFAR_TRAIN.map(([, f]) => f),
    );
    assert.deepEqual(
      Array.from(ds.test.labels),
      CIFAR_TEST.map(([, f]) => f),
    );
    assert.equal(ds.classNames?.[99], 'fine99');
    assert.deepEqual(ds.mean, channelStats(ds.train, 32, 32, 3).mean);
    checkPixels(ds);
  }
  const coarse = loadCifar100(root, 'coarse');
  assert.equal(coarse.numClasses, 20);
  assert.deepEqual(
    Array.from(coarse.train.labels),
    CIFAR_TRAIN.map(([c]) => c),
  );
  assert.equal(coarse.classNames?.[19], 'coarse19');
  rmSync(root, { recursive: true });
});

test('the .tar.gz as published, named directly or found in the folder', () => {
  const root = tempDir('cifar-tgz');
  writeCifarFolder(join(root, 'src'));
  const archive = join(root, 'cifar-100-binary.tar.gz');
  tar.c({ gzip: true, file: archive, cwd: join(root, 'src'), sync: true }, ['cifar-100-binary']);
  rmSync(join(root, 'src'), { recursive: true });
  for (const p of [archive, root]) {
    const ds = loadCifar100(p, 'fine');
    assert.deepEqual(
      Array.from(ds.train.labels),
      CIFAR_TRAIN.map(([, f]) => f),
    );
    assert.equal(ds.classNames?.[0], 'fine0');
    assert.match(ds.source, /cifar-100-binary\.tar\.gz/);
    checkPixels(ds);
  }
  const bytes = readFileSync(archive);
  writeFileSync(archive, bytes.subarray(0, bytes.length >> 1));
  assert.throws(() => loadCifar100(root), errorWith(archive, /truncated or corrupt archive/));
  rmSync(root, { recursive: true });
});

test('a file that is not whole records names the file, its size and the record size', () => {
  const root = tempDir('cifar-size');
  const dir = writeCifarFolder(root, cifarRecords(CIFAR_TRAIN).subarray(0, 3 * 3074 + 100));
  assert.throws(() => loadCifar100(root), errorWith(join(dir, 'train.bin'), /9322 bytes/, /3074-byte/));
  rmSync(root, { recursive: true });
});

test('a label out of range names the file and the record', () => {
  const root = tempDir('cifar-label');
  const dir = writeCifarFolder(
    root,
    undefined,
    cifarRecords([
      [1, 2],
      [3, 100],
    ]),
  );
  assert.throws(() => loadCifar100(root), errorWith(join(dir, 'test.bin'), /record 1\b/, /fine label 100/));
  const dir2 = writeCifarFolder(root, cifarRecords([[20, 1]]));
  assert.throws(() => loadCifar100(root), errorWith(join(dir2, 'train.bin'), /record 0\b/, /coarse label 20/));
  rmSync(root, { recursive: true });
});

test('missing files say where they were looked for and how to download them', () => {
  const root = tempDir('cifar-missing');
  assert.throws(() => loadCifar100(root), errorWith(root, /cifar-100-binary\.tar\.gz/, /losslab download cifar100/, /train\.bin/));
  writeFile(join(root, 'cifar-100-binary', 'train.bin'), cifarRecords(CIFAR_TRAIN));
  assert.throws(() => loadCifar100(root), errorWith(join(root, 'cifar-100-binary', 'test.bin'), /test\.bin is missing/));
  rmSync(root, { recursive: true });
});

test('loadDataset passes labels and path, and subsets apply', () => {
  const root = tempDir('cifar-ld');
  writeCifarFolder(root);
  const ds = loadDataset({ name: 'cifar100', path: root, labels: 'coarse', trainSubset: 2, testSubset: 1 }, 1);
  assert.equal(ds.numClasses, 20);
  assert.deepEqual(Array.from(ds.train.labels), [0, 19]);
  assert.equal(ds.test.count, 1);
  assert.deepEqual(ds.mean, channelStats(ds.train, 32, 32, 3).mean);
  rmSync(root, { recursive: true });
});
