/**
 * Operations on ImageSplits: subsets, a held-out validation split, and the
 * per-channel statistics used for normalisation.
 */
import type { ImageSplit } from './types';
import type { Rng } from '../util/rng';

function bytesPerImage(split: ImageSplit): number {
  return split.count === 0 ? 0 : split.images.length / split.count;
}

/** A new split holding the images at `indices`, in that order. */
export function selectSplit(split: ImageSplit, indices: ArrayLike<number>): ImageSplit {
  const per = bytesPerImage(split);
  const images = new Uint8Array(indices.length * per);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (i < 0 || i >= split.count) throw new RangeError(`index ${i} outside a split of ${split.count}`);
    images.set(split.images.subarray(i * per, (i + 1) * per), k * per);
    labels[k] = split.labels[i];
  }
  return { images, labels, count: indices.length };
}

/**
 * The first `n` images (the protocol's "first 2,000 test images"), or a seeded
 * random `n` (in their original order) when an Rng is given. n ≥ count returns the split itself.
 */
export function subsetSplit(split: ImageSplit, n: number, rng?: Rng): ImageSplit {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`subset size must be a non-negative integer, got ${n}`);
  if (n >= split.count) return split;
  if (!rng) {
    const per = bytesPerImage(split);
    return { images: split.images.slice(0, n * per), labels: split.labels.slice(0, n), count: n };
  }
  const picked = rng.permutation(split.count).subarray(0, n).sort();
  return selectSplit(split, picked);
}

/**
 * Holds out `fraction` of each class (rounded, at least one when the class has
 * two or more images) as a validation split, so class balance is kept on both sides.
 */
export function holdOutValidation(train: ImageSplit, fraction: number, rng: Rng): { train: ImageSplit; validation: ImageSplit } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(`validation fraction must be between 0 and 1 (exclusive), got ${fraction}`);
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < train.count; i++) {
    const l = train.labels[i];
    let list = byClass.get(l);
    if (!list) byClass.set(l, (list = []));
    list.push(i);
  }
  const isValidation = new Uint8Array(train.count);
  // Iterate classes in label order so the draw does not depend on Map insertion order.
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(label)!;
    let take = Math.round(members.length * fraction);
    if (take === 0 && members.length >= 2) take = 1;
    if (take === members.length) take = members.length - 1;
    const perm = rng.permutation(members.length);
    for (let k = 0; k < take; k++) isValidation[members[perm[k]]] = 1;
  }
  const keep: number[] = [];
  const held: number[] = [];
  for (let i = 0; i < train.count; i++) (isValidation[i] ? held : keep).push(i);
  return { train: selectSplit(train, keep), validation: selectSplit(train, held) };
}

/**
 * Per-channel mean and (population) std in [0, 1] units. Counts each byte
 * value per channel first, so the sums are exact and the pass is one cheap loop.
 */
export function channelStats(split: ImageSplit, h: number, w: number, c: number): { mean: number[]; std: number[] } {
  const expected = split.count * h * w * c;
  if (split.images.length !== expected) {
    throw new RangeError(`split holds ${split.images.length} bytes, expected ${expected} for ${split.count}×${h}×${w}×${c}`);
  }
  const hist = new Float64Array(256 * c);
  const img = split.images;
  if (c === 1) {
    for (let i = 0; i < img.length; i++) hist[img[i]]++;
  } else {
    for (let i = 0; i < img.length; i += c) {
      for (let ch = 0; ch < c; ch++) hist[ch * 256 + img[i + ch]]++;
    }
  }
  const mean: number[] = [];
  const std: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    let n = 0;
    let sum = 0;
    for (let v = 0; v < 256; v++) {
      const k = hist[ch * 256 + v];
      n += k;
      sum += k * (v / 255);
    }
    const m = n > 0 ? sum / n : 0;
    let sq = 0;
    for (let v = 0; v < 256; v++) {
      const d = v / 255 - m;
      sq += hist[ch * 256 + v] * d * d;
    }
    mean.push(m);
    std.push(n > 0 ? Math.sqrt(sq / n) : 0);
  }
  return { mean, std };
}

/** The split in shared memory (no copy when it is already there): the prefetch thread reads it in place. */
export function sharedSplit(split: ImageSplit): ImageSplit {
  if (split.images.buffer instanceof SharedArrayBuffer && split.labels.buffer instanceof SharedArrayBuffer) return split;
  const images = new Uint8Array(new SharedArrayBuffer(split.images.byteLength));
  images.set(split.images);
  const labels = new Int32Array(new SharedArrayBuffer(split.labels.byteLength));
  labels.set(split.labels);
  return { images, labels, count: split.count };
}
