/**
 * Load time and memory of the dataset loaders on synthetic data of the real
 * sizes (not a test: minutes, and GBs of temp files). Each measurement runs in
 * a fresh child process so its peak RSS is its own.
 *
 *   npx tsx bench/data-load.ts            CIFAR-100 (folder and .tar.gz), TinyImageNet-sized cache
 *   npx tsx bench/data-load.ts --full     also a full 110,000-JPEG TinyImageNet tree: first decode vs cached load
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import jpeg from 'jpeg-js';
import { loadCifar100 } from '../src/core/data/cifar100';
import { cachedDecode, DecodedSet } from '../src/core/data/decodeCache';
import { channelStats } from '../src/core/data/split';
import { loadTinyImageNet } from '../src/core/data/tinyImageNet';

const MiB = 1024 * 1024;

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / MiB;
}

function report(what: string, t0: number, extra = ''): void {
  const s = ((performance.now() - t0) / 1000).toFixed(2);
  process.stdout.write(`${what}: ${s} s, peak RSS ${peakRssMiB().toFixed(0)} MiB${extra}\n`);
}

/** Records with varied bytes, so gzip has real work (the real archive compresses 185 → 161 MB). */
function writeCifar(dir: string, n: number, name: string): void {
  const buf = new Uint8Array(n * 3074);
  let x = 12345;
  for (let i = 0; i < buf.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    buf[i] = x >>> 24;
  }
  for (let r = 0; r < n; r++) {
    buf[r * 3074] = r % 20;
    buf[r * 3074 + 1] = r % 100;
  }
  writeFileSync(join(dir, name), buf);
}

function tinySet(train: number, test: number): DecodedSet {
  const per = 64 * 64 * 3;
  const images = new Uint8Array((train + test) * per);
  for (let i = 0; i < images.length; i += 4096) images[i] = i & 255;
  const labels = new Int32Array(train + test).map((_, i) => i % 200);
  const view = (a: number, b: number) => ({ images: images.subarray(a * per, b * per), labels: labels.subarray(a, b), count: b - a });
  return {
    height: 64,
    width: 64,
    channels: 3,
    classNames: Array.from({ length: 200 }, (_, i) => `c${i}`),
    splits: [
      { name: 'train', split: view(0, train) },
      { name: 'test', split: view(train, train + test) },
    ],
    warnings: [],
    meta: {},
  };
}

/** 200 wnids × 500 train + 10,000 val JPEGs, cycling through 64 encoded variants (writing is the slow part, not encoding). */
function writeTinyTree(root: string): void {
  const variants = Array.from({ length: 64 }, (_, v) => {
    const data = Buffer.alloc(64 * 64 * 4);
    for (let p = 0; p < 64 * 64; p++) {
      const y = p >> 6;
      const x = p & 63;
      data[p * 4] = (x * 4 + v * 3) & 255;
      data[p * 4 + 1] = (y * 4 + v * 7) & 255;
      data[p * 4 + 2] = ((x ^ y) * 4 + v) & 255;
      data[p * 4 + 3] = 255;
    }
    return jpeg.encode({ data, width: 64, height: 64 }, 85).data;
  });
  const dir = join(root, 'tiny-imagenet-200');
  const wnids = Array.from({ length: 200 }, (_, k) => `n${String(k).padStart(8, '0')}`);
  mkdirSync(join(dir, 'val', 'images'), { recursive: true });
  writeFileSync(join(dir, 'wnids.txt'), wnids.join('\n') + '\n');
  wnids.forEach((w, k) => {
    const d = join(dir, 'train', w, 'images');
    mkdirSync(d, { recursive: true });
    for (let i = 0; i < 500; i++) writeFileSync(join(d, `${w}_${i}.JPEG`), variants[(k + i) % 64]);
  });
  const ann: string[] = [];
  for (let i = 0; i < 10000; i++) {
    writeFileSync(join(dir, 'val', 'images', `val_${i}.JPEG`), variants[i % 64]);
    ann.push(`val_${i}.JPEG\t${wnids[i % 200]}\t0\t0\t63\t63`);
  }
  writeFileSync(join(dir, 'val', 'val_annotations.txt'), ann.join('\n') + '\n');
}

function child(mode: string, dir: string): void {
  const t0 = performance.now();
  if (mode === 'cifar-folder' || mode === 'cifar-tgz') {
    const ds = loadCifar100(mode === 'cifar-folder' ? dir : join(dir, 'cifar-100-binary.tar.gz'));
    report(`CIFAR-100 ${mode === 'cifar-folder' ? 'folder' : '.tar.gz'} (${ds.train.count} + ${ds.test.count} images, incl. mean/std)`, t0);
  } else if (mode === 'tiny-cache-write') {
    const { cacheFile } = cachedDecode({ kind: 'bench', datasetDir: dir, files: [], options: {} }, () => tinySet(100_000, 10_000));
    report(`TinyImageNet-sized cache write (${(statSync(cacheFile!).size / MiB).toFixed(0)} MiB file)`, t0);
  } else if (mode === 'tiny-cache-read') {
    const { set } = cachedDecode({ kind: 'bench', datasetDir: dir, files: [], options: {} }, () => {
      throw new Error('expected a cache hit');
    });
    const t1 = performance.now();
    const train = set.splits[0].split;
    channelStats(train, 64, 64, 3);
    const statsS = ((performance.now() - t1) / 1000).toFixed(2);
    report(
      `TinyImageNet-sized cache read (${train.count} + ${set.splits[1].split.count} images), then mean/std in ${statsS} s`,
      t0,
      `, arrayBuffers ${(process.memoryUsage().arrayBuffers / MiB).toFixed(0)} MiB`,
    );
  } else if (mode === 'tiny-full') {
    const ds = loadTinyImageNet(dir, { log: (m) => process.stdout.write(`  ${m}\n`) });
    report(`TinyImageNet tree via loadTinyImageNet (${ds.train.count} + ${ds.test.count} JPEGs)`, t0);
  }
}

function run(mode: string, dir: string): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', mode, dir], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${mode} failed with ${r.status}`);
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1], args[2]);
  const root = mkdtempSync(join(tmpdir(), 'losslab-bench-'));
  try {
    const cifar = join(root, 'cifar');
    mkdirSync(join(cifar, 'cifar-100-binary'), { recursive: true });
    writeCifar(join(cifar, 'cifar-100-binary'), 50_000, 'train.bin');
    writeCifar(join(cifar, 'cifar-100-binary'), 10_000, 'test.bin');
    tar.c({ gzip: true, file: join(cifar, 'cifar-100-binary.tar.gz'), cwd: cifar, sync: true }, ['cifar-100-binary']);
    run('cifar-folder', cifar);
    run('cifar-tgz', cifar);
    const tiny = join(root, 'tiny-cache');
    mkdirSync(tiny);
    run('tiny-cache-write', tiny);
    run('tiny-cache-read', tiny);
    rmSync(tiny, { recursive: true });
    if (args.includes('--full')) {
      const t0 = performance.now();
      writeTinyTree(join(root, 'tiny'));
      process.stdout.write(`(wrote the 110,000-file tree in ${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
      run('tiny-full', join(root, 'tiny'));
      run('tiny-full', join(root, 'tiny'));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main();
