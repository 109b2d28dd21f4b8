import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channelStats, holdOutValidation, selectSplit, subsetSplit } from '../../../src/core/data/split';
import type { ImageSplit } from '../../../src/core/data/types';
import { Rng } from '../../../src/core/util/rng';

/** `count` (< 256) 1×2 images with c channels; every byte of image i is i, so bytes identify images. */
function tinySplit(count: number, c = 1, labels?: number[]): ImageSplit {
  const per = 2 * c;
  const images = Uint8Array.from({ length: count * per }, (_, k) => Math.floor(k / per));
  return { images, labels: Int32Array.from(labels ?? Array.from({ length: count }, (_, i) => i % 10)), count };
}

test('subsetSplit takes the first n by default', () => {
  const s = subsetSplit(tinySplit(6), 3);
  assert.equal(s.count, 3);
  assert.deepEqual(Array.from(s.labels), [0, 1, 2]);
  assert.deepEqual(Array.from(s.images), [0, 0, 1, 1, 2, 2]);
});

test('subsetSplit with n ≥ count returns the whole split', () => {
  const full = tinySplit(4);
  assert.equal(subsetSplit(full, 4), full);
  assert.equal(subsetSplit(full, 10), full);
});

test('subsetSplit with an Rng takes a seeded random n, images kept with their labels', () => {
  const full = tinySplit(50);
  const a = subsetSplit(full, 10, new Rng(1));
  const b = subsetSplit(full, 10, new Rng(1));
  const c = subsetSplit(full, 10, new Rng(2));
  assert.deepEqual(a, b);
  assert.notDeepEqual(Array.from(a.images), Array.from(c.images));
  const firstBytes = Array.from({ length: 10 }, (_, k) => a.images[2 * k]);
  assert.equal(new Set(firstBytes).size, 10);
  firstBytes.forEach((i, k) => assert.equal(a.labels[k], i % 10));
});

test('selectSplit picks images in the order given', () => {
  const s = selectSplit(tinySplit(4, 3), [2, 0]);
  assert.deepEqual(Array.from(s.images), [2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(s.labels), [2, 0]);
});

test('holdOutValidation is stratified, disjoint and seeded', () => {
  const labels = Array.from({ length: 100 }, (_, i) => i % 4); // 25 per class
  const full = tinySplit(100, 1, labels);
  const { train, validation } = holdOutValidation(full, 0.2, new Rng(7));
  assert.equal(train.count + validation.count, 100);
  const perClass = [0, 0, 0, 0];
  for (const l of validation.labels) perClass[l]++;
  assert.deepEqual(perClass, [5, 5, 5, 5]);
  const ids = (s: ImageSplit) => Array.from({ length: s.count }, (_, k) => s.images[2 * k]);
  const all = [...ids(train), ...ids(validation)].sort((a, b) => a - b);
  assert.deepEqual(
    all,
    Array.from({ length: 100 }, (_, i) => i),
  );
  assert.deepEqual(holdOutValidation(full, 0.2, new Rng(7)).validation, validation);
  assert.notDeepEqual(ids(holdOutValidation(full, 0.2, new Rng(8)).validation), ids(validation));
  assert.throws(() => holdOutValidation(full, 1, new Rng(1)), RangeError);
});

test('channelStats matches a hand computation', () => {
  // 2 images of 1×2 pixels, 2 channels: channel 0 = [0, 255, 51, 102], channel 1 = all 255.
  const split: ImageSplit = {
    images: Uint8Array.from([0, 255, 255, 255, 51, 255, 102, 255]),
    labels: Int32Array.from([0, 1]),
    count: 2,
  };
  const { mean, std } = channelStats(split, 1, 2, 2);
  const v = [0, 1, 0.2, 0.4];
  const m = v.reduce((a, b) => a + b) / 4; // 0.4
  const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / 4);
  assert.ok(Math.abs(mean[0] - m) < 1e-12);
  assert.ok(Math.abs(std[0] - s) < 1e-12);
  assert.ok(Math.abs(mean[1] - 1) < 1e-12);
  assert.ok(Math.abs(std[1]) < 1e-12);
  assert.throws(() => channelStats(split, 2, 2, 2), RangeError);
});
