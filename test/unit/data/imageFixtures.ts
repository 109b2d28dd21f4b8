// Builds image files, CIFAR-100 records, TinyImageNet trees and zips for the data tests.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `losslab-${prefix}-`));
}

/** (h, w, 3) image whose pixel (y, x, c) is f(y, x, c). */
export function rgb(w: number, h: number, f: (y: number, x: number, c: number) => number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = f(y, x, c);
  return out;
}

export function flat(w: number, h: number, color: readonly number[]): Uint8Array {
  return rgb(w, h, (_y, _x, c) => color[c]);
}

function rgba(w: number, h: number, data: Uint8Array, alpha = 255): Buffer {
  const out = Buffer.alloc(w * h * 4);
  for (let p = 0; p < w * h; p++) {
    out[p * 4] = data[p * 3];
    out[p * 4 + 1] = data[p * 3 + 1];
    out[p * 4 + 2] = data[p * 3 + 2];
    out[p * 4 + 3] = alpha;
  }
  return out;
}

/** colorType 2 = RGB, 0 = grey (pass r = g = b), 6 = RGBA (with `alpha`). */
export function pngBytes(w: number, h: number, data: Uint8Array, colorType: 0 | 2 | 6 = 2, alpha = 255): Buffer {
  const png = new PNG({ width: w, height: h });
  png.data = rgba(w, h, data, alpha);
  return PNG.sync.write(png, { colorType, inputHasAlpha: true });
}

export function jpegBytes(w: number, h: number, data: Uint8Array, quality = 95): Buffer {
  return jpeg.encode({ data: rgba(w, h, data), width: w, height: h }, quality).data;
}

export function writeFile(file: string, bytes: Uint8Array | string): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return file;
}

/** Pixel of CIFAR record n at (y, x), channel c. */
export function cifarPixel(n: number, y: number, x: number, c: number): number {
  return (n * 37 + y * 5 + x * 3 + c * 71) % 256;
}

/** CIFAR-100 binary records: [coarse, fine] labels and planar R, G, B planes. */
export function cifarRecords(labels: [number, number][], offset = 0): Uint8Array {
  const out = new Uint8Array(labels.length * 3074);
  labels.forEach(([coarse, fine], n) => {
    const o = n * 3074;
    out[o] = coarse;
    out[o + 1] = fine;
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[o + 2 + c * 1024 + y * 32 + x] = cifarPixel(n + offset, y, x, c);
  });
  return out;
}

export const CIFAR_TRAIN: [number, number][] = [
  [0, 5],
  [19, 99],
  [3, 0],
  [7, 42],
];
export const CIFAR_TEST: [number, number][] = [
  [1, 10],
  [2, 20],
];

/** A `cifar-100-binary/` folder inside `root`, with both label-name files. */
export function writeCifarFolder(root: string, train = cifarRecords(CIFAR_TRAIN), test = cifarRecords(CIFAR_TEST, 100)): string {
  const dir = join(root, 'cifar-100-binary');
  writeFile(join(dir, 'train.bin'), train);
  writeFile(join(dir, 'test.bin'), test);
  writeFile(join(dir, 'fine_label_names.txt'), Array.from({ length: 100 }, (_, i) => `fine${i}`).join('\n') + '\n');
  writeFile(join(dir, 'coarse_label_names.txt'), Array.from({ length: 20 }, (_, i) => `coarse${i}`).join('\n') + '\n');
  return dir;
}

const TINY_WNIDS = ['n02', 'n01', 'n03'];
/** Flat colour of class k in the TinyImageNet fixture; image i adds 10·i to red. */
export const tinyColor = (k: number, i: number) => [40 + 60 * k + 10 * i, 200 - 50 * k, 30 + 80 * k];

/** The official layout with 3 classes × 2 train images and 3 val images; returns the tiny-imagenet-200 folder. */
export function writeTinyImageNet(root: string, annotations?: string): string {
  const dir = join(root, 'tiny-imagenet-200');
  writeFile(join(dir, 'wnids.txt'), TINY_WNIDS.join('\n') + '\n');
  writeFile(join(dir, 'words.txt'), 'n01\tgoldfish, Carassius auratus\nn02\tEuropean fire salamander\nn03\ttabby, tabby cat\nn99\tunused\n');
  TINY_WNIDS.forEach((w, k) => {
    for (let i = 0; i < 2; i++) writeFile(join(dir, 'train', w, 'images', `${w}_${i}.JPEG`), jpegBytes(64, 64, flat(64, 64, tinyColor(k, i))));
    writeFile(join(dir, 'train', w, `${w}_boxes.txt`), '');
  });
  const val = [2, 0, 1];
  val.forEach((k, i) => writeFile(join(dir, 'val', 'images', `val_${i}.JPEG`), jpegBytes(64, 64, flat(64, 64, tinyColor(k, 5)))));
  writeFile(join(dir, 'val', 'val_annotations.txt'), annotations ?? val.map((k, i) => `val_${i}.JPEG\t${TINY_WNIDS[k]}\t0\t0\t63\t63`).join('\n') + '\n');
  writeFile(join(dir, 'test', 'images', 'test_0.JPEG'), jpegBytes(64, 64, flat(64, 64, [0, 0, 0])));
  return dir;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const v of b) c = CRC_TABLE[(c ^ v) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of `files` (name → bytes), stored without compression. */
export function zipBytes(files: Record<string, Uint8Array>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const n = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(10, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, Buffer.from(data));
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
