/**
 * The training hot path: uint8 NHWC images → normalised float32 batches, with
 * torchvision-style RandomCrop(size, padding) and RandomHorizontalFlip.
 */
import type { Rng } from '../util/rng';
import type { ImageSplit } from './types';

export interface AugmentOptions {
  /** Random crop of an h×w window from the image zero-padded by `padding` on each side. */
  crop: boolean;
  padding: number;
  /** Mirror left-right with probability 0.5. */
  flip: boolean;
}

export interface BatcherOptions {
  height: number;
  width: number;
  channels: number;
  /** Per-channel mean and std in [0, 1] units. */
  mean: readonly number[];
  std: readonly number[];
  batchSize: number;
  rng: Rng;
  augment?: AugmentOptions;
  shuffle: boolean;
}

export interface Batch {
  /** (size, h, w, c) NHWC, (v/255 - mean)/std. A view of a reused buffer. */
  x: Float32Array;
  /** (size) labels. A view of a reused buffer. */
  y: Int32Array;
  size: number;
}

const NO_AUGMENT: AugmentOptions = { crop: false, padding: 0, flip: false };

/**
 * Yields one epoch of batches at a time. The batch arrays are views of buffers
 * allocated once and overwritten by the next batch: consume (or copy) a batch
 * before asking for the next one.
 */
export class Batcher {
  readonly batchSize: number;
  private readonly h: number;
  private readonly w: number;
  private readonly c: number;
  private readonly rng: Rng;
  private readonly augment: AugmentOptions;
  private readonly shuffle: boolean;
  /** lut[ch * 256 + v] = (v/255 - mean[ch]) / std[ch]; lut[ch * 256] is also the padding value. */
  private readonly lut: Float32Array;
  private readonly xBuf: Float32Array;
  private readonly yBuf: Int32Array;

  constructor(
    private readonly split: ImageSplit,
    opts: BatcherOptions,
  ) {
    const { height: h, width: w, channels: c } = opts;
    if (split.images.length !== split.count * h * w * c) {
      throw new RangeError(`split holds ${split.images.length} bytes, expected ${split.count}×${h}×${w}×${c}`);
    }
    if (opts.mean.length !== c || opts.std.length !== c) {
      throw new RangeError(`mean/std need ${c} entries, got ${opts.mean.length}/${opts.std.length}`);
    }
    if (!Number.isInteger(opts.batchSize) || opts.batchSize <= 0) {
      throw new RangeError(`batchSize must be a positive integer, got ${opts.batchSize}`);
    }
    const augment = opts.augment ?? NO_AUGMENT;
    if (augment.crop && (!Number.isInteger(augment.padding) || augment.padding < 0)) {
      throw new RangeError(`crop padding must be a non-negative integer, got ${augment.padding}`);
    }
    this.h = h;
    this.w = w;
    this.c = c;
    this.batchSize = opts.batchSize;
    this.rng = opts.rng;
    this.augment = augment;
    this.shuffle = opts.shuffle;
    this.lut = new Float32Array(256 * c);
    for (let ch = 0; ch < c; ch++) {
      const s = opts.std[ch];
      if (!(s > 0)) throw new RangeError(`std[${ch}] must be positive, got ${s}`);
      for (let v = 0; v < 256; v++) this.lut[ch * 256 + v] = (v / 255 - opts.mean[ch]) / s;
    }
    this.xBuf = new Float32Array(this.batchSize * h * w * c);
    this.yBuf = new Int32Array(this.batchSize);
  }

  get batchesPerEpoch(): number {
    return Math.ceil(this.split.count / this.batchSize);
  }

  /**
   * One pass over the split, in a fresh random order when shuffling; the last batch may be smaller.
   * `target(k)` gives the buffers batch k is written into (each at least a full batch long), called just
   * before it is written: the prefetch thread waits there for a free slot. Default: the batcher's own.
   */
  *epoch(target?: (batchIndex: number) => { x: Float32Array; y: Int32Array }): Generator<Batch, void, undefined> {
    const n = this.split.count;
    const order = this.shuffle ? this.rng.permutation(n) : null;
    const hwc = this.h * this.w * this.c;
    const { crop, flip } = this.augment;
    const p = crop ? this.augment.padding : 0;
    for (let start = 0; start < n; start += this.batchSize) {
      const size = Math.min(this.batchSize, n - start);
      const { x, y } = target ? target(start / this.batchSize) : { x: this.xBuf, y: this.yBuf };
      for (let k = 0; k < size; k++) {
        const i = order ? order[start + k] : start + k;
        y[k] = this.split.labels[i];
        // Draw order per image is fixed (dy, dx, flip) so runs repeat exactly.
        const dy = crop ? this.rng.int(2 * p + 1) : p;
        const dx = crop ? this.rng.int(2 * p + 1) : p;
        const mirror = flip && this.rng.next() < 0.5;
        if (dy === p && dx === p && !mirror) this.copyImage(i * hwc, x, k * hwc);
        else this.writeShifted(i * hwc, x, k * hwc, dy - p, dx - p, mirror);
      }
      yield { x: x.subarray(0, size * hwc), y: y.subarray(0, size), size };
    }
  }

  /** Unshifted, unflipped: a straight pass through the lookup table. */
  private copyImage(src: number, out: Float32Array, dst: number): void {
    const img = this.split.images;
    const lut = this.lut;
    const len = this.h * this.w * this.c;
    if (this.c === 1) {
      for (let j = 0; j < len; j++) out[dst + j] = lut[img[src + j]];
      return;
    }
    const c = this.c;
    for (let j = 0; j < len; j += c) {
      for (let ch = 0; ch < c; ch++) out[dst + j + ch] = lut[ch * 256 + img[src + j + ch]];
    }
  }

  /**
   * out[y][x] = padded[y + dy + p][x' + dx + p] with x' = mirror ? w-1-x : x,
   * i.e. the source pixel is (y + oy, x' + ox); outside the image it is the
   * padding value (raw 0, normalised), as torchvision pads before Normalize.
   */
  private writeShifted(src: number, out: Float32Array, dst: number, oy: number, ox: number, mirror: boolean): void {
    const { h, w, c, lut } = this;
    const img = this.split.images;
    const rowLen = w * c;
    for (let y = 0; y < h; y++) {
      const sy = y + oy;
      const o = dst + y * rowLen;
      if (sy < 0 || sy >= h) {
        for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) out[o + x * c + ch] = lut[ch * 256];
        continue;
      }
      const srow = src + sy * rowLen;
      for (let x = 0; x < w; x++) {
        const sx = (mirror ? w - 1 - x : x) + ox;
        const oi = o + x * c;
        if (sx < 0 || sx >= w) {
          for (let ch = 0; ch < c; ch++) out[oi + ch] = lut[ch * 256];
        } else {
          const si = srow + sx * c;
          for (let ch = 0; ch < c; ch++) out[oi + ch] = lut[ch * 256 + img[si + ch]];
        }
      }
    }
  }
}
