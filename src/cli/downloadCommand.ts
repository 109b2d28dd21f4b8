/**
 * `losslab download <dataset> [--dir DIR]`: fetch, verify and extract a dataset
 * with official URLs, then print the config lines that point at it.
 */
import * as cliProgress from 'cli-progress';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultDatasetDir } from '../core/data/dataPaths';
import { DatasetDownload, downloadDataset, DownloadProgress, DOWNLOADS, isDownloadable } from '../core/data/download';
import { DatasetError } from '../core/data/errors';
import { DEFAULT_MNIST_LIKE_PATHS } from '../core/data/mnistLike';

export interface DownloadCommandOptions {
  /** A live bar on a terminal, a line per tenth otherwise. Default: whether stdout is a TTY. */
  tty?: boolean;
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** Replaces the built-in URLs and checksums (tests serve files from 127.0.0.1). */
  spec?: DatasetDownload;
}

const NOT_DOWNLOADABLE: Record<string, string> = {
  facescrub:
    'FaceScrub is published as lists of image URLs, not as a download: fetch the images with a FaceScrub ' + 'download script, arrange them as <dir>/<identity>/*.jpg and set dataset.path to <dir>',
  'image-folder': 'image-folder reads your own images: set dataset.path to a folder holding one sub-folder per class',
};

const mb = (n: number) => (n / 1e6).toFixed(1);

function progressReporter(tty: boolean, out: (t: string) => void): { update(p: DownloadProgress): void; stop(): void } {
  if (tty) {
    const bar = new cliProgress.SingleBar({ format: '{phase} {file} |{bar}| {percentage}% {amount}', hideCursor: true, barsize: 30 }, cliProgress.Presets.shades_classic);
    let key = '';
    return {
      update(p) {
        if (p.phase === 'verify') {
          if (key) bar.stop();
          key = '';
          out(`checking ${p.file}\n`);
          return;
        }
        const amount = p.phase === 'download' ? `${mb(p.done)}/${p.total ? mb(p.total) : '?'} MB` : `${p.done}${p.total ? `/${p.total}` : ''}`;
        if (`${p.phase}${p.file}` !== key) {
          if (key) bar.stop();
          key = `${p.phase}${p.file}`;
          bar.start(p.total ?? 0, p.done, { phase: p.phase, file: p.file, amount });
        } else {
          if (p.total) bar.setTotal(p.total);
          bar.update(p.done, { amount });
        }
      },
      stop: () => bar.stop(),
    };
  }
  let shown = '';
  return {
    update(p) {
      if (p.phase === 'verify') return out(`checking ${p.file}\n`);
      const tenth = p.total ? Math.floor((10 * p.done) / p.total) : Math.floor(p.done / (p.phase === 'download' ? 50e6 : 20000));
      const key = `${p.phase} ${p.file} ${tenth}`;
      if (key === shown) return;
      shown = key;
      const amount = p.phase === 'download' ? `${mb(p.done)}${p.total ? ` of ${mb(p.total)}` : ''} MB` : `${p.done}${p.total ? ` of ${p.total}` : ''} entries`;
      out(`${p.phase} ${p.file}: ${amount}\n`);
    },
    stop() {},
  };
}

export async function downloadCommand(dataset: string, destDir: string | undefined, opts: DownloadCommandOptions = {}): Promise<number> {
  const out = opts.out ?? ((t: string) => void process.stdout.write(t));
  const err = opts.err ?? ((t: string) => void process.stderr.write(t));
  if (!isDownloadable(dataset)) {
    const why = NOT_DOWNLOADABLE[dataset] ?? `unknown dataset '${dataset}'`;
    err(`losslab download: ${why}. Downloadable: ${Object.keys(DOWNLOADS).join(', ')}\n`);
    return 2;
  }
  const dir = resolve(destDir ?? defaultDatasetDir(dataset));
  const progress = progressReporter(opts.tty ?? Boolean(process.stdout.isTTY), out);
  try {
    await downloadDataset(dataset, dir, { onProgress: (p) => progress.update(p), log: (m) => out(`${m}\n`) }, opts.spec ?? DOWNLOADS[dataset]);
  } catch (e) {
    progress.stop();
    if (e instanceof DatasetError) {
      err(`losslab download: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  progress.stop();
  // MNIST-like configs without a path prefer Debian's package folder when it exists.
  const debian = dataset === 'mnist' || dataset === 'fashion-mnist' ? DEFAULT_MNIST_LIKE_PATHS[dataset] : undefined;
  const isDefault = dir === resolve(defaultDatasetDir(dataset)) && !(debian && existsSync(debian));
  out(`${dataset} is ready in ${dir}\n`);
  out(isDefault ? `configs with "dataset": { "name": "${dataset}" } use it by default\n` : `use it with "dataset": { "name": "${dataset}", "path": ${JSON.stringify(dir)} }\n`);
  return 0;
}
