import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Batcher, type AugmentOptions, type Batch } from '../../../src/core/data/batcher';
import type { ImageSplit } from '../../../src/core/data/types';
import { Rng } from '../../../src/core/util/rng';

const MEAN = 0.5;
const STD = 0.25;

/** n square images of side s (c = 1); pixel (y, x) = 1 + y*s + x, so 0 only ever means padding. */
function coordSplit(n: number, s: number): ImageSplit {
  const images = new Uint8Array(n * s * s);
  for (let i = 0; i < n; i++) for (let p = 0; p < s * s; p++) images[i * s * s + p] = 1 + p;
  return { images, labels: Int32Array.from({ length: n }, (_, i) => i), count: n };
}

/** n images (1×1×2) whose bytes are (i, 255 - i): the pixels identify the image. */
function idSplit(n: number): ImageSplit {
  const images = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) images.set([i, 255 - i], 2 * i);
  return { images, labels: Int32Array.from({ length: n }, (_, i) => i), count: n };
}

function raw(v: number, mean = MEAN, std = STD): number {
  return Math.round((v * std + mean) * 255);
}

function batcher(split: ImageSplit, side: number, seed: number, augment?: AugmentOptions, batchSize = 8, shuffle = true) {
  return new Batcher(split, {
    height: side,
    width: side,
    channels: 1,
    mean: [MEAN],
    std: [STD],
    batchSize,
    rng: new Rng(seed),
    augment,
    shuffle,
  });
}

/** Copies each batch out as it comes (not after the epoch: the batcher reuses its buffers). */
function collect(b: Batcher): { x: number[]; y: number[]; size: number }[] {
  const out = [];
  for (const bt of b.epoch()) out.push({ x: Array.from(bt.x), y: Array.from(bt.y), size: bt.size });
  return out;
}

test('without augmentation a batch is the hand-normalised images, last batch partial', () => {
  // 3 images of 1×2 pixels, 2 channels.
  const split: ImageSplit = {
    images: Uint8Array.from([0, 255, 51, 102, 10, 20, 30, 40, 200, 100, 7, 9]),
    labels: Int32Array.from([4, 5, 6]),
    count: 3,
  };
  const mean = [0.2, 0.6];
  const std = [0.5, 0.1];
  const b = new Batcher(split, { height: 1, width: 2, channels: 2, mean, std, batchSize: 2, rng: new Rng(0), shuffle: false });
  assert.equal(b.batchesPerEpoch, 2);
  const batches = collect(b);
  assert.deepEqual(
    batches.map((bt) => bt.size),
    [2, 1],
  );
  assert.deepEqual(
    batches.map((bt) => bt.y),
    [[4, 5], [6]],
  );
  const expected = Array.from(split.images, (v, k) => Math.fround((v / 255 - mean[k % 2]) / std[k % 2]));
  assert.equal(batches[0].x.length, 8);
  assert.equal(batches[1].x.length, 4);
  [...batches[0].x, ...batches[1].x].forEach((v, k) => assert.ok(Math.abs(v - expected[k]) < 1e-6, `x[${k}] ${v} vs ${expected[k]}`));
});

/** Finds every (dy, dx, mirror) for which `img` is that window of the zero-padded coordinate image. */
function windowsMatching(img: number[], s: number, p: number, mirrors: boolean[]): string[] {
  const found: string[] = [];
  for (const m of mirrors)
    for (let dy = 0; dy <= 2 * p; dy++)
      for (let dx = 0; dx <= 2 * p; dx++) {
        let ok = true;
        for (let y = 0; y < s && ok; y++)
          for (let x = 0; x < s && ok; x++) {
            const py = y + dy - p;
            const px = (m ? s - 1 - x : x) + dx - p;
            const want = py < 0 || py >= s || px < 0 || px >= s ? 0 : 1 + py * s + px;
            ok = raw(img[y * s + x]) === want;
          }
        if (ok) found.push(`${dy},${dx},${m}`);
      }
  return found;
}

for (const flip of [false, true]) {
  test(`random crop with padding${flip ? ' and flip' : ''} gives shifted windows of the zero-padded image`, () => {
    const s = 6;
    const p = 2;
    const pad = Math.fround((0 - MEAN) / STD);
    const seen = new Set<string>();
    let padSeen = false;
    for (const bt of collect(batcher(coordSplit(300, s), s, 11, { crop: true, padding: p, flip }, 32))) {
      for (let k = 0; k < bt.size; k++) {
        const img = bt.x.slice(k * s * s, (k + 1) * s * s);
        for (const v of img) {
          // Every value is either the padding value or a normalised pixel of the image.
          if (v === pad) padSeen = true;
          else assert.ok(raw(v) >= 1 && raw(v) <= s * s, `value ${v}`);
        }
        const matches = windowsMatching(img, s, p, flip ? [false, true] : [false]);
        assert.equal(matches.length, 1, `image ${k}: ${matches.join(' | ') || 'no window matches'}`);
        seen.add(matches[0]);
      }
    }
    assert.ok(padSeen);
    // 300 draws cover all 25 offsets (and both orientations) with overwhelming probability.
    assert.equal(seen.size, 25 * (flip ? 2 : 1));
  });
}

test('flip alone mirrors about half the images and leaves the rest as they are', () => {
  const s = 4;
  let mirrored = 0;
  const n = 200;
  for (const bt of collect(batcher(coordSplit(n, s), s, 5, { crop: false, padding: 4, flip: true }, 16))) {
    for (let k = 0; k < bt.size; k++) {
      const m = windowsMatching(bt.x.slice(k * s * s, (k + 1) * s * s), s, 0, [false, true]);
      assert.equal(m.length, 1);
      if (m[0].endsWith('true')) mirrored++;
    }
  }
  assert.ok(mirrored > 60 && mirrored < 140, `mirrored ${mirrored} of ${n}`);
});

test('each epoch visits every image exactly once, images still paired with their labels', () => {
  const n = 53;
  const b = new Batcher(idSplit(n), {
    height: 1,
    width: 1,
    channels: 2,
    mean: [MEAN, MEAN],
    std: [STD, STD],
    batchSize: 7,
    rng: new Rng(3),
    shuffle: true,
  });
  const orders: number[][] = [];
  for (let epoch = 0; epoch < 3; epoch++) {
    const ids: number[] = [];
    const batches = collect(b);
    assert.deepEqual(
      batches.map((bt) => bt.size),
      [7, 7, 7, 7, 7, 7, 7, 4],
    );
    for (const bt of batches)
      for (let k = 0; k < bt.size; k++) {
        const id = raw(bt.x[2 * k]);
        assert.equal(raw(bt.x[2 * k + 1]), 255 - id);
        assert.equal(bt.y[k], id);
        ids.push(id);
      }
    assert.deepEqual(
      [...ids].sort((a, c) => a - c),
      Array.from({ length: n }, (_, i) => i),
    );
    orders.push(ids);
  }
  assert.notDeepEqual(orders[0], orders[1]);
});

test('same seed gives the same batches; a different seed a different order', () => {
  const aug = { crop: true, padding: 1, flip: true };
  const a = collect(batcher(coordSplit(40, 5), 5, 42, aug));
  const b = collect(batcher(coordSplit(40, 5), 5, 42, aug));
  const c = collect(batcher(coordSplit(40, 5), 5, 43, aug));
  assert.deepEqual(a, b);
  assert.notDeepEqual(
    a.map((bt) => bt.y),
    c.map((bt) => bt.y),
  );
});

test('without shuffle batches come in split order', () => {
  const y = collect(batcher(coordSplit(10, 3), 3, 1, undefined, 4, false)).flatMap((bt) => bt.y);
  assert.deepEqual(y, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('the batch buffers are reused across batches', () => {
  const it = batcher(coordSplit(16, 3), 3, 1, undefined, 8).epoch();
  const first = it.next().value as Batch;
  const second = it.next().value as Batch;
  assert.equal(first.x.buffer, second.x.buffer);
});

test('bad options are rejected', () => {
  const split = coordSplit(2, 3);
  assert.throws(() => batcher(split, 4, 1), RangeError);
  assert.throws(() => batcher(split, 3, 1, undefined, 0), RangeError);
  assert.throws(() => new Batcher(split, { height: 3, width: 3, channels: 1, mean: [0], std: [0], batchSize: 2, rng: new Rng(1), shuffle: false }), RangeError);
});
