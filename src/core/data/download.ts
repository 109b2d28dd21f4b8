/**
 * Downloads the datasets that have official URLs: streamed to `<file>.part`,
 * resumed with an HTTP Range request after an interruption, checked against the
 * published MD5 (or size), renamed into place, then extracted. When the network
 * is unreachable the error says exactly which files to put where by hand.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArchiveKind, extractArchive } from './archive';
import { defaultDatasetDir } from './dataPaths';
import { DatasetError } from './errors';

export interface RemoteFile {
  name: string;
  /** Mirrors, tried in order. */
  urls: string[];
  md5?: string;
  size?: number;
}

export interface DatasetDownload {
  files: RemoteFile[];
  /** For an archive: how to unpack it, the folder it holds, and a file inside that proves it is complete. */
  extract?: { kind: ArchiveKind; folder: string; check: string[] };
}

export type DownloadableDataset = 'cifar100' | 'tiny-imagenet' | 'mnist' | 'fashion-mnist';

const MNIST_MIRRORS = ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'https://storage.googleapis.com/cvdf-datasets/mnist/'];
const FASHION_MIRRORS = ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/', 'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/'];

function idxFiles(mirrors: string[], md5: Record<string, string>): RemoteFile[] {
  return Object.entries(md5).map(([name, sum]) => ({ name, urls: mirrors.map((m) => m + name), md5: sum }));
}

/** Official URLs and the checksums their publishers (or torchvision, for the MNIST mirrors) list. */
export const DOWNLOADS: Record<DownloadableDataset, DatasetDownload> = {
  cifar100: {
    files: [{ name: 'cifar-100-binary.tar.gz', urls: ['https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz'], md5: '03b5dce01913d631647c71ecec9e9cb8' }],
    extract: { kind: 'tar.gz', folder: 'cifar-100-binary', check: ['train.bin', 'test.bin'] },
  },
  'tiny-imagenet': {
    files: [{ name: 'tiny-imagenet-200.zip', urls: ['http://cs231n.stanford.edu/tiny-imagenet-200.zip'], md5: '90528d7ca1a48142e341f4ef8d21d0de', size: 248100043 }],
    extract: { kind: 'zip', folder: 'tiny-imagenet-200', check: ['wnids.txt', 'val/val_annotations.txt'] },
  },
  mnist: {
    files: idxFiles(MNIST_MIRRORS, {
      'train-images-idx3-ubyte.gz': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
      'train-labels-idx1-ubyte.gz': 'd53e105ee54ea40749a09fcbcd1e9432',
      't10k-images-idx3-ubyte.gz': '9fb629c4189551a2d022fa330f9573f3',
      't10k-labels-idx1-ubyte.gz': 'ec29112dd5afa0611ce80d1b7f02629c',
    }),
  },
  'fashion-mnist': {
    files: idxFiles(FASHION_MIRRORS, {
      'train-images-idx3-ubyte.gz': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
      'train-labels-idx1-ubyte.gz': '25c81989df183df01b3e8a0aad5dffbe',
      't10k-images-idx3-ubyte.gz': 'bef4ecab320f06d8554ea6380940ec79',
      't10k-labels-idx1-ubyte.gz': 'bb300cfdad3c16e7a12a480ee83cd310',
    }),
  },
};

export function isDownloadable(name: string): name is DownloadableDataset {
  return Object.prototype.hasOwnProperty.call(DOWNLOADS, name);
}

export interface DownloadProgress {
  phase: 'download' | 'verify' | 'extract';
  file: string;
  /** Bytes (download) or entries (extract) so far. */
  done: number;
  total?: number;
}

export interface DownloadOptions {
  onProgress?: (p: DownloadProgress) => void;
  log?: (message: string) => void;
  /** Give up on a connection silent for this long. Default 30 s. */
  idleTimeoutMs?: number;
}

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'EPIPE', 'ESOCKETTIMEDOUT']);

class HttpStatusError extends Error {}

function request(url: string, headers: Record<string, string>, idleMs: number, redirects = 5): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.get(url, { headers: { 'User-Agent': 'losslab', ...headers } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects === 0) return reject(new HttpStatusError(`${url}: too many redirects`));
        return resolve(request(new URL(res.headers.location, url).toString(), headers, idleMs, redirects - 1));
      }
      resolve(res);
    });
    req.setTimeout(idleMs, () => req.destroy(Object.assign(new Error(`no data for ${idleMs / 1000} s`), { code: 'ESOCKETTIMEDOUT' })));
    req.on('error', reject);
  });
}

/** Streams `url` into `part`, continuing from its current size when the server honours Range. */
async function fetchInto(url: string, part: string, opts: DownloadOptions, name: string): Promise<void> {
  const have = existsSync(part) ? statSync(part).size : 0;
  const res = await request(url, have > 0 ? { Range: `bytes=${have}-` } : {}, opts.idleTimeoutMs ?? 30_000);
  const status = res.statusCode ?? 0;
  if (status === 416) {
    res.resume(); // the part already holds the whole file; the checksum decides
    return;
  }
  if (status !== 200 && status !== 206) {
    res.resume();
    throw new HttpStatusError(`${url}: HTTP ${status}`);
  }
  const resumed = status === 206 && new RegExp(`^bytes ${have}-`).test(String(res.headers['content-range']));
  const start = resumed ? have : 0;
  const total = resumed ? Number(String(res.headers['content-range']).split('/')[1]) || undefined : Number(res.headers['content-length']) || undefined;
  if (have > 0) opts.log?.(resumed ? `resuming ${name} at ${have} bytes` : `${url} does not resume; starting ${name} again`);
  let done = start;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      opts.onProgress?.({ phase: 'download', file: name, done, total });
      cb(null, chunk);
    },
  });
  await pipeline(res, counter, createWriteStream(part, { flags: resumed ? 'a' : 'w' }));
}

async function md5Of(file: string): Promise<string> {
  const h = createHash('md5');
  await pipeline(createReadStream(file), h);
  return h.digest('hex');
}

/** Null when `file` matches the expected size and MD5, else what is wrong. */
async function mismatch(file: string, remote: RemoteFile): Promise<string | null> {
  const size = statSync(file).size;
  if (remote.size !== undefined && size !== remote.size) return `${size} bytes, expected ${remote.size}`;
  if (remote.md5) {
    const sum = await md5Of(file);
    if (sum !== remote.md5) return `MD5 ${sum}, expected ${remote.md5}`;
  }
  return null;
}

function errorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const msg = e instanceof Error ? e.message : String(e);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

/** Downloads one file into `destDir` (or checks the copy already there); returns its path. */
export async function downloadFile(remote: RemoteFile, destDir: string, opts: DownloadOptions = {}, manual?: string): Promise<string> {
  mkdirSync(destDir, { recursive: true });
  const target = join(destDir, remote.name);
  const part = `${target}.part`;
  if (existsSync(target)) {
    opts.onProgress?.({ phase: 'verify', file: remote.name, done: 0 });
    const bad = await mismatch(target, remote);
    if (bad) throw new DatasetError(target, `${target} is already there but does not match the published file (${bad}); delete it and run again`);
    opts.log?.(`${target}: present and verified`);
    return target;
  }
  const failures: string[] = [];
  for (const url of remote.urls) {
    try {
      await fetchInto(url, part, opts, remote.name);
    } catch (e) {
      failures.push(`${url}: ${errorText(e)}`);
      continue;
    }
    opts.onProgress?.({ phase: 'verify', file: remote.name, done: 0 });
    const bad = await mismatch(part, remote);
    if (bad) {
      rmSync(part, { force: true });
      throw new DatasetError(target, `${remote.name} from ${url} failed verification (${bad}); the partial file was deleted, run again to download it afresh`);
    }
    renameSync(part, target);
    return target;
  }
  const offline = failures.length > 0 && failures.every((f) => [...NETWORK_CODES].some((c) => f.includes(c)));
  throw new DatasetError(
    target,
    `could not download ${remote.name} (${failures.join('; ')}). ` +
      (offline ? 'This machine looks offline. ' : '') +
      `To install it by hand, fetch ${remote.urls[0]} elsewhere and put it at ${target}` +
      (manual ? `, ${manual}` : '') +
      (existsSync(part) ? ` (the partial download ${part} is kept; running again resumes it)` : ''),
  );
}

function isComplete(dir: string, spec: DatasetDownload): boolean {
  return spec.extract ? spec.extract.check.every((f) => existsSync(join(dir, spec.extract!.folder, f))) : spec.files.every((f) => existsSync(join(dir, f.name)));
}

/**
 * Fetches, verifies and extracts a dataset into `destDir` (default: its folder
 * under the Loss Lab data root), skipping whatever is already complete.
 * Returns the folder to use as the config's dataset.path.
 */
export async function downloadDataset(name: DownloadableDataset, destDir: string = defaultDatasetDir(name), opts: DownloadOptions = {}, spec: DatasetDownload = DOWNLOADS[name]): Promise<string> {
  if (spec.extract && isComplete(destDir, spec)) {
    opts.log?.(`${join(destDir, spec.extract.folder)} is already complete`);
    return destDir;
  }
  const manual = spec.extract
    ? `then run \`losslab download ${name} --dir ${destDir}\` again to check and extract it (or extract it yourself so that ${join(destDir, spec.extract.folder, spec.extract.check[0])} exists)`
    : `next to ${spec.files
        .filter((f) => f.name !== spec.files[0].name)
        .map((f) => f.name)
        .join(', ')}`;
  const paths: string[] = [];
  for (const f of spec.files) paths.push(await downloadFile(f, destDir, opts, manual));
  if (spec.extract) {
    const { kind, folder } = spec.extract;
    opts.log?.(`extracting ${paths[0]}`);
    await extractArchive(paths[0], kind, destDir, folder, (done, total) => opts.onProgress?.({ phase: 'extract', file: spec.files[0].name, done, total }));
    if (!isComplete(destDir, spec)) {
      throw new DatasetError(paths[0], `${paths[0]}: extracted, but ${join(destDir, folder, spec.extract.check.join(' / '))} is missing; is it the right archive?`);
    }
  }
  return destDir;
}
