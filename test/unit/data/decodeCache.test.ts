import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../../src/core/util/rng';
import { permuteRecordsInPlace, splitPerClassInPlace } from '../../../src/core/data/classSplit';
import { CACHE_FOLDER } from '../../../src/core/data/decodeCache';
import { DatasetError } from '../../../src/core/data/errors';
import { loadImageFolder } from '../../../src/core/data/imageFolder';
import { loadTinyImageNet } from '../../../src/core/data/tinyImageNet';
import { flat, pngBytes, rgb, tempDir, writeFile, writeTinyImageNet } from './imageFixtures';

function writeTree(root: string): void {
  for (const [k, name] of ['a', 'b'].entries())
    for (let i = 0; i < 4; i++)
      writeFile(
        join(root, name, `${i}.png`),
        pngBytes(
          5,
          4,
          rgb(5, 4, (y, x, c) => 60 * k + 7 * i + y + x + c),
        ),
      );
}

const cacheFiles = (root: string) => (existsSync(join(root, CACHE_FOLDER)) ? readdirSync(join(root, CACHE_FOLDER)) : []);

test('a second load reads the cache and returns identical arrays', () => {
  const root = tempDir('cache-tiny');
  writeTinyImageNet(root);
  const logs: string[] = [];
  const first = loadTinyImageNet(root, { log: (m) => logs.push(m) });
  const dir = join(root, 'tiny-imagenet-200');
  assert.equal(cacheFiles(dir).length, 1);
  assert.ok(logs.some((l) => l.startsWith('decoded 9 images')));
  logs.length = 0;
  const second = loadTinyImageNet(root, { log: (m) => logs.push(m) });
  assert.ok(logs.some((l) => l.startsWith('read decoded images from')));
  assert.deepEqual(second.train.images, first.train.images);
  assert.deepEqual(second.train.labels, first.train.labels);
  assert.deepEqual(second.test.images, first.test.images);
  assert.deepEqual(second.test.labels, first.test.labels);
  assert.deepEqual([second.classNames, second.mean, second.source], [first.classNames, first.mean, first.source]);
  assert.equal(second.train.images.buffer, second.test.images.buffer); // one allocation, two views
  rmSync(root, { recursive: true });
});

test('a failed load leaves no cache behind', () => {
  const root = tempDir('cache-fail');
  writeTree(root);
  const odd = writeFile(join(root, 'b', '9.png'), pngBytes(2, 2, flat(2, 2, [1, 2, 3])));
  assert.throws(() => loadImageFolder(root), DatasetError);
  assert.deepEqual(cacheFiles(root), []);
  rmSync(odd);
  loadImageFolder(root);
  assert.equal(cacheFiles(root).length, 1);
  rmSync(root, { recursive: true });
});

test('a changed source file or option misses the cache; the stale file is replaced', () => {
  const root = tempDir('cache-stale');
  writeTree(root);
  const first = loadImageFolder(root, { testFraction: 0.25 });
  const [stale] = cacheFiles(root);
  writeFile(join(root, 'a', '0.png'), pngBytes(5, 4, flat(5, 4, [9, 9, 9])));
  utimesSync(join(root, 'a', '0.png'), new Date(), new Date(Date.now() + 5000));
  const logs: string[] = [];
  const second = loadImageFolder(root, { testFraction: 0.25 }, { log: (m) => logs.push(m) });
  assert.ok(logs.some((l) => l.startsWith('decoded 8 images')));
  assert.notDeepEqual(second.train.images, first.train.images);
  assert.equal(cacheFiles(root).length, 1);
  assert.notEqual(cacheFiles(root)[0], stale);
  loadImageFolder(root, { imageSize: 3 });
  assert.equal(cacheFiles(root).length, 2); // other options: their own cache file
  rmSync(root, { recursive: true });
});

test('a torn cache file is ignored and rewritten', () => {
  const root = tempDir('cache-torn');
  writeTree(root);
  const first = loadImageFolder(root);
  const file = join(root, CACHE_FOLDER, cacheFiles(root)[0]);
  writeFileSync(file, readFileSync(file).subarray(0, 100));
  const logs: string[] = [];
  const second = loadImageFolder(root, {}, { log: (m) => logs.push(m) });
  assert.ok(logs.some((l) => l.startsWith('decoded')));
  assert.deepEqual(second.train.images, first.train.images);
  assert.ok(readFileSync(file).length > 100);
  rmSync(root, { recursive: true });
});

test('an unwritable dataset folder caches under LOSSLAB_CACHE_DIR instead', () => {
  const root = tempDir('cache-ro');
  const fallback = tempDir('cache-fallback');
  writeTree(root);
  writeFileSync(join(root, CACHE_FOLDER), 'a file where the cache folder would go');
  const saved = process.env.LOSSLAB_CACHE_DIR;
  process.env.LOSSLAB_CACHE_DIR = fallback;
  try {
    const first = loadImageFolder(root);
    assert.equal(readdirSync(fallback).filter((f) => f.endsWith('.lldc')).length, 1);
    const logs: string[] = [];
    const second = loadImageFolder(root, {}, { log: (m) => logs.push(m) });
    assert.ok(logs.some((l) => l.startsWith(`read decoded images from ${fallback}`)));
    assert.deepEqual(second.test.images, first.test.images);
  } finally {
    if (saved === undefined) delete process.env.LOSSLAB_CACHE_DIR;
    else process.env.LOSSLAB_CACHE_DIR = saved;
    rmSync(root, { recursive: true });
    rmSync(fallback, { recursive: true });
  }
});

test('records move in place to their destinations, labels with them', () => {
  const images = Uint8Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  const labels = Int32Array.from([10, 11, 12, 13, 14]);
  permuteRecordsInPlace(images, labels, 2, Int32Array.from([2, 0, 1, 4, 3]));
  assert.deepEqual(Array.from(images), [1, 1, 2, 2, 0, 0, 4, 4, 3, 3]);
  assert.deepEqual(Array.from(labels), [11, 12, 10, 14, 13]);
});

test('the per-class split keeps file order on both sides and repeats for the same seed', () => {
  const make = () => ({ images: Uint8Array.from({ length: 12 }, (_, i) => i), labels: Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2]), count: 12 });
  const s = splitPerClassInPlace(make(), 3, 0.34, new Rng(5));
  assert.deepEqual(s.perClass, [
    [4, 2],
    [3, 2],
    [1, 0],
  ]);
  const ids = (x: { images: Uint8Array }) => Array.from(x.images);
  for (const part of [ids(s.train), ids(s.test)])
    assert.deepEqual(
      part,
      [...part].sort((a, b) => a - b),
    );
  assert.deepEqual(
    [...ids(s.train), ...ids(s.test)].sort((a, b) => a - b),
    Array.from({ length: 12 }, (_, i) => i),
  );
  assert.deepEqual(ids(splitPerClassInPlace(make(), 3, 0.34, new Rng(5)).test), ids(s.test));
});
