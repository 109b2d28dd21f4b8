// Writes what Loss Lab's seed-study run of one seed starts from — its 2,000 training images (raw
// uint8, Loss Lab's seeded subset), the 2,000 test images, the normalisation mean/std, and the
// initial parameters and buffers of simple-cnn + each head (seed k) — so that
// pytorch_protocol.py --losslab-init trains PyTorch from exactly that start (its own batch order
// and flips). It separates "this seed's images and initial weights" from "Loss Lab's training".
// Usage: npx tsx docs/reproduction/seed-study/export-losslab-init.ts <seed> <out-dir>
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { LossConfig } from '../../../src/core/config/types';
import { loadDataset } from '../../../src/core/data/loadDataset';
import { buildNetwork } from '../../../src/core/train/network';

const SETTINGS: [string, LossConfig][] = [
  ['ce', { name: 'ce' }],
  ['scaled-bn-m0.8', { name: 'scaled-bn', m: 0.8 }],
  ['scaled-bn-m0.9', { name: 'scaled-bn', m: 0.9 }],
  ['scaled-bn-m1', { name: 'scaled-bn', m: 1 }],
];

async function main(): Promise<void> {
  const [seedArg, out] = process.argv.slice(2);
  const seed = Number(seedArg);
  await tf.setBackend('cpu');
  mkdirSync(out, { recursive: true });
  const ds = loadDataset({ name: 'fashion-mnist', trainSubset: 2000, testSubset: 2000, shuffleSubset: true }, seed);
  const blobs: Buffer[] = [];
  let offset = 0;
  const index: Record<string, { dtype: string; shape: number[]; offset: number; length: number }> = {};
  const add = (key: string, dtype: string, shape: number[], data: Uint8Array | Int32Array | Float32Array) => {
    const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    index[key] = { dtype, shape, offset, length: data.length };
    blobs.push(b);
    offset += b.byteLength;
    const pad = (4 - (offset % 4)) % 4;
    if (pad) {
      blobs.push(Buffer.alloc(pad));
      offset += pad;
    }
  };
  add('train/images', 'uint8', [ds.train.count, ds.height, ds.width, ds.channels], ds.train.images);
  add('train/labels', 'int32', [ds.train.count], ds.train.labels);
  add('test/images', 'uint8', [ds.test.count, ds.height, ds.width, ds.channels], ds.test.images);
  add('test/labels', 'int32', [ds.test.count], ds.test.labels);
  for (const [key, loss] of SETTINGS) {
    const net = buildNetwork({ name: 'simple-cnn', width: 1 }, loss, ds.channels, ds.numClasses, seed);
    for (const { name, variable } of net.store.all()) add(`${key}/${name}`, 'float32', variable.shape, variable.dataSync());
  }
  writeFileSync(path.join(out, 'tensors.bin'), Buffer.concat(blobs));
  writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ seed, mean: ds.mean, std: ds.std, index }, null, 1));
  console.log(`${out}: seed ${seed}, ${ds.train.count} train / ${ds.test.count} test images, mean ${ds.mean} std ${ds.std}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
