import type { ImageDataset } from '../../../src/core/data/types';

/**
 * `count` 8×8×1 images in 4 classes, class c brighter (by `brightness`) in quadrant c over
 * seeded noise, so a small network learns it in a few steps; train and test are the same split.
 * The training tests' shared synthetic data.
 */
export function quadrantDataset({ count, seed, brightness }: { count: number; seed: number; brightness: number }): ImageDataset {
  const images = new Uint8Array(count * 64);
  const labels = new Int32Array(count);
  let s = seed;
  for (let i = 0; i < count; i++) {
    labels[i] = i % 4;
    for (let p = 0; p < 64; p++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const quadrant = (Math.floor(p / 32) << 1) | Math.floor((p % 8) / 4);
      images[i * 64 + p] = (s >>> 26) + (quadrant === labels[i] ? brightness : 0);
    }
  }
  const split = { images, labels, count };
  return { name: 'synthetic', height: 8, width: 8, channels: 1, numClasses: 4, train: split, test: split, mean: [0.3], std: [0.3], source: 'test' };
}
