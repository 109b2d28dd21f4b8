import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../../../src/core/data/errors';
import { loadImageFolder } from '../../../src/core/data/imageFolder';
import { loadDataset } from '../../../src/core/data/loadDataset';
import { flat, jpegBytes, pngBytes, rgb, tempDir, writeFile } from './imageFixtures';

/** Class k's image i (3×2): pixel (y, x, c) = 50k + 10i + 3y + x + c. */
const pixels = (k: number, i: number) => rgb(3, 2, (y, x, c) => 50 * k + 10 * i + 3 * y + x + c);

function writeTree(root: string, counts: Record<string, number>, first = 0): void {
  Object.entries(counts).forEach(([name, n]) => {
    const k = name === 'cat' ? 0 : name === 'dog' ? 1 : 2;
    for (let i = first; i < first + n; i++) writeFile(join(root, name, `${i}.png`), pngBytes(3, 2, pixels(k, i)));
  });
}

test('train and test folders: classes in name order, exact PNG pixels, counts', () => {
  const root = tempDir('folder');
  writeTree(join(root, 'train'), { dog: 2, cat: 3 });
  writeTree(join(root, 'test'), { dog: 1 }, 5);
  writeFile(join(root, 'train', 'cat', 'Thumbs.db'), 'x');
  const ds = loadImageFolder(join(root, 'train'), { testPath: join(root, 'test') }, { cache: false });
  assert.deepEqual([ds.height, ds.width, ds.channels, ds.numClasses], [2, 3, 3, 2]);
  assert.deepEqual(ds.classNames, ['cat', 'dog']);
  assert.deepEqual(Array.from(ds.train.labels), [0, 0, 0, 1, 1]);
  assert.deepEqual(Array.from(ds.test.labels), [1]);
  const expected = [pixels(0, 0), pixels(0, 1), pixels(0, 2), pixels(1, 0), pixels(1, 1)].flatMap((p) => Array.from(p));
  assert.deepEqual(Array.from(ds.train.images), expected);
  assert.deepEqual(Array.from(ds.test.images), Array.from(pixels(1, 5)));
  rmSync(root, { recursive: true });
});

test('images of different sizes: an error naming the odd file, or resized with imageSize', () => {
  const root = tempDir('folder-size');
  writeTree(root, { cat: 2 });
  const odd = writeFile(join(root, 'cat', 'z.jpg'), jpegBytes(4, 4, flat(4, 4, [100, 150, 200])));
  assert.throws(
    () => loadImageFolder(root),
    (e: unknown) => e instanceof DatasetError && e.file === odd && /4×4 pixels/.test(e.message) && /imageSize/.test(e.message),
  );
  const ds = loadImageFolder(root, { imageSize: 2, testFraction: 0.5 }, { cache: false });
  assert.deepEqual([ds.height, ds.width, ds.train.count + ds.test.count], [2, 2, 3]);
  rmSync(root, { recursive: true });
});

test('empty class folders and test classes without a training folder are errors naming the folder', () => {
  const root = tempDir('folder-empty');
  writeTree(join(root, 'train'), { cat: 2 });
  mkdirSync(join(root, 'train', 'dog'));
  writeFile(join(root, 'train', 'dog', 'readme.txt'), 'no images here');
  const empty = join(root, 'train', 'dog');
  assert.throws(
    () => loadImageFolder(join(root, 'train')),
    (e: unknown) => e instanceof DatasetError && e.file === empty && /empty class folder/.test(e.message),
  );
  rmSync(empty, { recursive: true });
  writeTree(join(root, 'test'), { bird: 1 });
  assert.throws(
    () => loadImageFolder(join(root, 'train'), { testPath: join(root, 'test') }),
    (e: unknown) => e instanceof DatasetError && e.file === join(root, 'test', 'bird') && /no training folder/.test(e.message),
  );
  assert.throws(
    () => loadImageFolder(join(root, 'train', 'cat')),
    (e: unknown) => e instanceof DatasetError && /no class folders/.test(e.message),
  );
  rmSync(root, { recursive: true });
});

test('a file that does not decode is skipped with a warning', () => {
  const root = tempDir('folder-bad');
  writeTree(root, { cat: 3, dog: 3 });
  const bad = join(root, 'dog', '1.png');
  writeFileSync(bad, 'garbage');
  const ds = loadImageFolder(root, { testFraction: 0.3 }, { cache: false });
  assert.equal(ds.train.count + ds.test.count, 5);
  assert.equal(ds.warnings?.length, 1);
  assert.ok(ds.warnings[0].startsWith('skipped 1 of 6 images'));
  assert.ok(ds.warnings[0].includes(bad));
  rmSync(root, { recursive: true });
});

test('without a test folder: a seeded per-class hold-out, or none when validationFraction replaces it', () => {
  const root = tempDir('folder-split');
  writeTree(root, { cat: 10, dog: 10 });
  const a = loadDataset({ name: 'image-folder', path: root }, 1);
  assert.deepEqual([a.train.count, a.test.count], [18, 2]);
  assert.deepEqual(Array.from(a.test.labels), [0, 1]);
  assert.match(a.source, /0\.1 of each class held out/);
  const b = loadDataset({ name: 'image-folder', path: root, testFraction: 0.3 }, 7);
  assert.deepEqual([b.train.count, b.test.count], [14, 6]);
  const v = loadDataset({ name: 'image-folder', path: root, validationFraction: 0.2 }, 1);
  assert.deepEqual([v.train.count, v.test.count], [16, 4]);
  assert.match(v.source, /hold-out of train/);
  assert.throws(
    () => loadDataset({ name: 'image-folder' }, 1),
    (e: unknown) => e instanceof DatasetError && /needs dataset\.path/.test(e.message),
  );
  rmSync(root, { recursive: true });
});
