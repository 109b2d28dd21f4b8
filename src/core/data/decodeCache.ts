/**
 * Decode once, then read raw bytes: the decoded images of a folder dataset are
 * stored in one file, keyed by the source files (relative path, size, mtime)
 * and the options that change the pixels, so a second run starts in seconds.
 *
 * File layout (little-endian):
 *   "LLDCACHE", u32 version, u32 header length, header JSON padded to 8 bytes,
 *   the images of every split back to back (uint8 NHWC), zero padding to 8,
 *   the labels of every split back to back (int32).
 * The images are read straight into one preallocated Uint8Array and each split
 * is a view of it, so a 1.2 GB TinyImageNet needs 1.2 GB, not twice that.
 *
 * Written to a temp file and renamed, and only after a load finished, so a
 * cache file is always complete; it lives in `<dataset>/.losslab-cache/`, or
 * under the user cache folder when the dataset folder is read-only.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { endianness } from 'node:os';
import * as path from 'node:path';
import { fallbackDecodeCacheDir } from './dataPaths';
import type { ImageSplit } from './types';

export interface LoaderOptions {
  /** Progress and timing lines (decode progress, cache hits). */
  log?: (message: string) => void;
  /** Read and write the decoded-image cache. Default true. */
  cache?: boolean;
}

export interface DecodedSet {
  height: number;
  width: number;
  channels: number;
  classNames: string[];
  /** Named splits in a fixed order, e.g. train and test, or one "all" split still to be divided. */
  splits: { name: string; split: ImageSplit }[];
  warnings: string[];
  /** Loader-specific facts worth keeping with the pixels (counts of dropped classes, ...). */
  meta: Record<string, unknown>;
}

export interface CacheSource {
  /** Dataset kind; the first part of the cache file name. */
  kind: string;
  /** The dataset folder: holds `.losslab-cache/`, and source paths are keyed relative to it. */
  datasetDir: string;
  files: readonly string[];
  /** Everything besides the files that changes the decoded result (image size, class filter...). */
  options: Record<string, unknown>;
}

const MAGIC = 'LLDCACHE';
const VERSION = 1;
const CHUNK = 1 << 28; // keep single reads/writes well under the 2 GiB syscall limit
export const CACHE_FOLDER = '.losslab-cache';

interface Header {
  key: string;
  height: number;
  width: number;
  channels: number;
  classNames: string[];
  splits: { name: string; count: number }[];
  warnings: string[];
  meta: Record<string, unknown>;
}

const pad8 = (n: number) => (n + 7) & ~7;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Hash of the relative path, size and mtime of every source file, plus the options. */
function cacheKey(src: CacheSource): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: VERSION, kind: src.kind, options: src.options }));
  for (const f of src.files) {
    const st = fs.statSync(f);
    h.update(`\n${path.relative(src.datasetDir, f)}\0${st.size}\0${st.mtimeMs}`);
  }
  return h.digest('hex');
}

function cacheDirs(datasetDir: string): string[] {
  return [path.join(datasetDir, CACHE_FOLDER), fallbackDecodeCacheDir()];
}

/** Same dataset folder and options → same prefix; the key tells stale contents apart. */
function filePrefix(src: CacheSource): string {
  return `${src.kind}-${sha256(JSON.stringify([path.resolve(src.datasetDir), src.options])).slice(0, 12)}-`;
}

function readFully(fd: number, buf: Uint8Array, position: number): boolean {
  for (let off = 0; off < buf.length;) {
    const n = fs.readSync(fd, buf, off, Math.min(CHUNK, buf.length - off), position + off);
    if (n === 0) return false;
    off += n;
  }
  return true;
}

function writeFully(fd: number, buf: Uint8Array): void {
  for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off, Math.min(CHUNK, buf.length - off));
}

function readCacheFile(file: string, key: string): DecodedSet | null {
  const fd = fs.openSync(file, 'r');
  try {
    const head = new Uint8Array(16);
    if (!readFully(fd, head, 0) || Buffer.from(head.subarray(0, 8)).toString('latin1') !== MAGIC) return null;
    const view = new DataView(head.buffer);
    if (view.getUint32(8, true) !== VERSION) return null;
    const headerBytes = new Uint8Array(view.getUint32(12, true));
    if (!readFully(fd, headerBytes, 16)) return null;
    const header = JSON.parse(Buffer.from(headerBytes).toString('utf8')) as Header;
    if (header.key !== key) return null;
    const per = header.height * header.width * header.channels;
    const total = header.splits.reduce((s, x) => s + x.count, 0);
    const imageStart = 16 + pad8(headerBytes.length);
    const labelStart = imageStart + pad8(total * per);
    if (fs.fstatSync(fd).size !== labelStart + 4 * total) return null;
    const images = new Uint8Array(total * per);
    const labels = new Int32Array(total);
    if (!readFully(fd, images, imageStart) || !readFully(fd, new Uint8Array(labels.buffer), labelStart)) return null;
    let at = 0;
    const splits = header.splits.map(({ name, count }) => {
      const split = { images: images.subarray(at * per, (at + count) * per), labels: labels.subarray(at, at + count), count };
      at += count;
      return { name, split };
    });
    return { ...header, splits };
  } finally {
    fs.closeSync(fd);
  }
}

function writeCacheFile(file: string, key: string, set: DecodedSet): void {
  const header: Header = { ...set, key, splits: set.splits.map((s) => ({ name: s.name, count: s.split.count })) };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(16 + pad8(json.length), 0x20);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(VERSION, 8);
  head.writeUInt32LE(json.length, 12);
  json.copy(head, 16);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined = fs.openSync(temp, 'w');
  try {
    writeFully(fd, head);
    let imageBytes = 0;
    for (const { split } of set.splits) {
      writeFully(fd, split.images);
      imageBytes += split.images.length;
    }
    writeFully(fd, new Uint8Array(pad8(imageBytes) - imageBytes));
    for (const { split } of set.splits) {
      writeFully(fd, new Uint8Array(split.labels.buffer, split.labels.byteOffset, split.labels.byteLength));
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, file);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

function removeStale(dir: string, prefix: string, keep: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(prefix) && name !== keep) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function seconds(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}

/**
 * Returns the cached decode of `src` when its key matches, else runs `build`
 * and caches its result. A `build` that throws leaves no cache behind.
 */
export function cachedDecode(src: CacheSource, build: () => DecodedSet, opts: LoaderOptions = {}): { set: DecodedSet; cacheFile?: string } {
  // Labels are stored little-endian as the typed arrays lay them out; skip caching elsewhere.
  const useCache = opts.cache !== false && endianness() === 'LE';
  const log = opts.log ?? (() => {});
  const key = useCache ? cacheKey(src) : '';
  const name = `${filePrefix(src)}${key.slice(0, 16)}.lldc`;
  if (useCache) {
    for (const dir of cacheDirs(src.datasetDir)) {
      const file = path.join(dir, name);
      if (!fs.existsSync(file)) continue;
      const t0 = performance.now();
      let set: DecodedSet | null;
      try {
        set = readCacheFile(file, key);
      } catch {
        set = null; // unreadable or torn: decode again and overwrite it
      }
      if (set) {
        log(`read decoded images from ${file} in ${seconds(t0)}`);
        return { set, cacheFile: file };
      }
    }
  }
  const t0 = performance.now();
  const set = build();
  log(`decoded ${set.splits.reduce((s, x) => s + x.split.count, 0)} images in ${seconds(t0)}`);
  if (!useCache) return { set };
  const problems: string[] = [];
  for (const dir of cacheDirs(src.datasetDir)) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, name);
      writeCacheFile(file, key, set);
      removeStale(dir, filePrefix(src), name);
      log(`cached the decoded images in ${file}`);
      return { set, cacheFile: file };
    } catch (e) {
      problems.push(`${dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  log(`could not write a decoded-image cache (${problems.join('; ')}); the next run decodes again`);
  return { set };
}
