// Builds IDX files and MNIST-like folders for the data tests.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function idxBytes(dims: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(Uint8Array.from(data), header.length);
  return out;
}

export function gzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(bytes));
}

/** Pixel value of image n at (y, x) in the fake MNIST folders. */
export function fakePixel(n: number, y: number, x: number): number {
  return (n * 31 + y * 7 + x) % 256;
}

export interface FakeMnistOptions {
  trainLabels?: number[];
  testLabels?: number[];
  /** Overrides the number of images written for the training split. */
  trainImages?: number;
  gzipped?: boolean;
}

/** A temp folder holding a tiny MNIST-like dataset (5 train, 3 test by default). */
export function writeFakeMnist(opts: FakeMnistOptions = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'losslab-mnist-'));
  mkdirSync(dir, { recursive: true });
  const trainLabels = opts.trainLabels ?? [3, 1, 4, 1, 5];
  const testLabels = opts.testLabels ?? [9, 2, 6];
  const write = (name: string, bytes: Uint8Array) => (opts.gzipped === false ? writeFileSync(join(dir, name), bytes) : writeFileSync(join(dir, `${name}.gz`), gzip(bytes)));
  const images = (count: number, offset: number) => {
    const px: number[] = [];
    for (let n = 0; n < count; n++) for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px.push(fakePixel(n + offset, y, x));
    return idxBytes([count, 28, 28], px);
  };
  write('train-images-idx3-ubyte', images(opts.trainImages ?? trainLabels.length, 0));
  write('train-labels-idx1-ubyte', idxBytes([trainLabels.length], trainLabels));
  write('t10k-images-idx3-ubyte', images(testLabels.length, 100));
  write('t10k-labels-idx1-ubyte', idxBytes([testLabels.length], testLabels));
  return dir;
}
