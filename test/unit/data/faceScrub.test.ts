import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../../../src/core/data/errors';
import { loadFaceScrub } from '../../../src/core/data/faceScrub';
import { loadDataset } from '../../../src/core/data/loadDataset';
import type { ImageSplit } from '../../../src/core/data/types';
import { flat, pngBytes, tempDir, writeFile } from './imageFixtures';

const PEOPLE: [string, number][] = [
  ['Alice', 10],
  ['Bob', 8],
  ['Carol', 3],
  ['Dave', 0],
];

/** Identity k's image i is flat (40k + 3i, i, k): every image is told apart by its first pixel. */
function writeFaces(): string {
  const root = tempDir('faces');
  PEOPLE.forEach(([name, n], k) => {
    mkdirSync(join(root, name), { recursive: true });
    for (let i = 0; i < n; i++) writeFile(join(root, name, `${name}_${i}.png`), pngBytes(8, 8, flat(8, 8, [40 * k + 3 * i, i, k])));
  });
  writeFile(join(root, 'Alice', 'notes.txt'), 'not an image');
  return root;
}

function firstPixels(s: ImageSplit, side: number): string[] {
  const per = side * side * 3;
  return Array.from({ length: s.count }, (_, n) => Array.from(s.images.subarray(n * per, n * per + 3)).join(','));
}

const OPTS = { minImagesPerClass: 5, testFraction: 0.2, imageSize: 4 };

test('drops identities under the threshold, holds out a fraction of each, resizes, reports counts', () => {
  const root = writeFaces();
  const ds = loadFaceScrub(root, OPTS, { cache: false });
  assert.deepEqual([ds.height, ds.width, ds.channels, ds.numClasses], [4, 4, 3, 2]);
  assert.deepEqual(ds.classNames, ['Alice', 'Bob']);
  // Alice 10 → 2 test (round 10·0.2), Bob 8 → 2 test (round 1.6)
  assert.deepEqual([ds.train.count, ds.test.count], [14, 4]);
  const count = (s: ImageSplit, l: number) => Array.from(s.labels).filter((x) => x === l).length;
  assert.deepEqual([count(ds.train, 0), count(ds.test, 0), count(ds.train, 1), count(ds.test, 1)], [8, 2, 6, 2]);
  const train = firstPixels(ds.train, 4);
  const test = firstPixels(ds.test, 4);
  const expected = PEOPLE.slice(0, 2).flatMap(([, n], k) => Array.from({ length: n }, (_, i) => `${40 * k + 3 * i},${i},${k}`));
  assert.deepEqual([...train, ...test].sort(), expected.sort());
  [...train.map((p, n) => [p, ds.train.labels[n]] as const), ...test.map((p, n) => [p, ds.test.labels[n]] as const)].forEach(([p, label]) => assert.equal(Number(p.split(',')[2]), label));
  for (let i = 0; i < ds.train.images.length; i++) assert.equal(ds.train.images[i], ds.train.images[i - (i % 48) + (i % 3)]); // flat after resizing
  assert.match(ds.source, /2 of 4 identities have ≥5 images \(2 dropped\)/);
  assert.match(ds.source, /14 train \+ 4 test images, per identity 6–8 train, 2–2 test; 4×4/);
  rmSync(root, { recursive: true });
});

test('the split is fixed: the same for every run seed and from the cache', () => {
  const root = writeFaces();
  const cfg = { name: 'facescrub' as const, path: root, ...OPTS };
  const a = loadDataset(cfg, 1);
  const b = loadDataset(cfg, 2);
  assert.deepEqual(b.test.images, a.test.images);
  assert.deepEqual(b.train.labels, a.train.labels);
  rmSync(root, { recursive: true });
});

test('images that fail to decode are skipped, and can drop an identity under the threshold', () => {
  const root = writeFaces();
  for (let i = 0; i < 4; i++) writeFileSync(join(root, 'Bob', `Bob_${i}.png`), 'broken');
  const logs: string[] = [];
  const ds = loadFaceScrub(root, OPTS, { cache: false, log: (m) => logs.push(m) });
  assert.deepEqual(ds.classNames, ['Alice']);
  assert.match(ds.warnings![0], /skipped 4 of 18 images/);
  assert.ok(ds.warnings![0].includes(join(root, 'Bob', 'Bob_0.png')));
  assert.ok(logs.some((l) => /1 of 4 identities/.test(l)));
  rmSync(root, { recursive: true });
});

test('no identity reaching the threshold, or no folder at all, is an error that says what to do', () => {
  const root = writeFaces();
  assert.throws(
    () => loadFaceScrub(root, { minImagesPerClass: 70 }),
    (e: unknown) => e instanceof DatasetError && e.file === root && /largest, .*Alice, has 10/.test(e.message),
  );
  assert.throws(
    () => loadFaceScrub(join(root, 'nope')),
    (e: unknown) => e instanceof DatasetError && /URL lists/.test(e.message) && /<identity>/.test(e.message),
  );
  rmSync(root, { recursive: true });
});
