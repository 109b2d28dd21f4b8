import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../../../src/core/data/errors';
import { loadDataset } from '../../../src/core/data/loadDataset';
import { loadTinyImageNet } from '../../../src/core/data/tinyImageNet';
import type { ImageSplit } from '../../../src/core/data/types';
import { tempDir, tinyColor, writeTinyImageNet } from './imageFixtures';

function assertFlat(split: ImageSplit, n: number, color: number[]): void {
  const per = 64 * 64 * 3;
  for (let i = 0; i < per; i++) {
    const v = split.images[n * per + i];
    assert.ok(Math.abs(v - color[i % 3]) <= 3, `image ${n} byte ${i}: ${v}, expected ≈${color[i % 3]}`);
  }
}

test('the official layout: wnids order, words, train per class, val as the test split', () => {
  const root = tempDir('tiny');
  const dir = writeTinyImageNet(root);
  const ds = loadTinyImageNet(root, { cache: false });
  assert.deepEqual([ds.height, ds.width, ds.channels, ds.numClasses], [64, 64, 3, 3]);
  assert.deepEqual(ds.classNames, ['European fire salamander', 'goldfish', 'tabby']);
  assert.deepEqual(Array.from(ds.train.labels), [0, 0, 1, 1, 2, 2]);
  assert.deepEqual(Array.from(ds.test.labels), [2, 0, 1]);
  for (let k = 0; k < 3; k++) for (let i = 0; i < 2; i++) assertFlat(ds.train, 2 * k + i, tinyColor(k, i));
  [2, 0, 1].forEach((k, i) => assertFlat(ds.test, i, tinyColor(k, 5)));
  assert.match(ds.source, /3 classes, 6 train \/ 3 val-as-test/);
  assert.deepEqual(ds.warnings, []);
  assert.equal(loadTinyImageNet(dir, { cache: false }).train.count, 6);
  rmSync(root, { recursive: true });
});

test('an annotation naming an unknown wnid names the file and the line', () => {
  const root = tempDir('tiny-ann');
  const dir = writeTinyImageNet(root, `val_0.JPEG\tn03\t0\t0\t1\t1\nval_1.JPEG\tn77\t0\t0\t1\t1\n`);
  const file = join(dir, 'val', 'val_annotations.txt');
  assert.throws(
    () => loadTinyImageNet(root),
    (e: unknown) => e instanceof DatasetError && e.file === file && e.message.includes(`${file}:2`) && /n77 is not in wnids\.txt/.test(e.message),
  );
  rmSync(root, { recursive: true });
});

test('an empty class folder, a missing one, or one not in wnids.txt is an error naming the folder', () => {
  const root = tempDir('tiny-empty');
  const dir = writeTinyImageNet(root);
  const images = join(dir, 'train', 'n01', 'images');
  for (const f of readdirSync(images)) rmSync(join(images, f));
  assert.throws(
    () => loadTinyImageNet(root),
    (e: unknown) => e instanceof DatasetError && e.file === images && /empty class folder/.test(e.message),
  );
  rmSync(join(dir, 'train', 'n01'), { recursive: true });
  assert.throws(
    () => loadTinyImageNet(root),
    (e: unknown) => e instanceof DatasetError && e.file === images && /missing/.test(e.message),
  );
  const stray = join(dir, 'train', 'n42');
  mkdirSync(stray, { recursive: true });
  assert.throws(
    () => loadTinyImageNet(root),
    (e: unknown) => e instanceof DatasetError && e.file === stray && /not listed/.test(e.message),
  );
  rmSync(root, { recursive: true });
});

test('a corrupt image is skipped with a warning that counts and names it', () => {
  const root = tempDir('tiny-bad');
  const dir = writeTinyImageNet(root);
  const bad = join(dir, 'val', 'images', 'val_1.JPEG');
  writeFileSync(bad, 'not a jpeg');
  const ds = loadDataset({ name: 'tiny-imagenet', path: root }, 1);
  assert.equal(ds.test.count, 2);
  assert.deepEqual(Array.from(ds.test.labels), [2, 1]);
  assert.equal(ds.warnings?.length, 1);
  assert.match(ds.warnings[0], /skipped 1 of 9 images/);
  assert.ok(ds.warnings[0].includes(bad));
  rmSync(root, { recursive: true });
});

test('a folder without the dataset points at the downloader; an unextracted zip says to extract it', () => {
  const root = tempDir('tiny-none');
  assert.throws(
    () => loadTinyImageNet(root),
    (e: unknown) => e instanceof DatasetError && /losslab download tiny-imagenet/.test(e.message),
  );
  writeFileSync(join(root, 'tiny-imagenet-200.zip'), 'zip');
  assert.throws(
    () => loadTinyImageNet(root),
    (e: unknown) => e instanceof DatasetError && /not extracted yet/.test(e.message),
  );
  rmSync(root, { recursive: true });
});
