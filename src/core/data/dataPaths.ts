/**
 * Where datasets live when a config names no path, and where decoded caches go
 * when a dataset folder is read-only. One place, so the downloader, the loaders
 * and the messages that tell users where to put files agree.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user cache folder of the platform (XDG on Linux). */
function osCacheDir(): string {
  const env = process.env;
  if (process.platform === 'win32') return env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches');
  return env.XDG_CACHE_HOME || join(homedir(), '.cache');
}

/** Root of downloaded datasets: $LOSSLAB_DATA_DIR, else `<os cache>/losslab/datasets`. */
function dataRoot(): string {
  return process.env.LOSSLAB_DATA_DIR || join(osCacheDir(), 'losslab', 'datasets');
}

/** The folder `losslab download <name>` fills and a config without `path` reads. */
export function defaultDatasetDir(name: string): string {
  return join(dataRoot(), name);
}

/** Fallback for decoded-image caches when the dataset folder cannot be written. */
export function fallbackDecodeCacheDir(): string {
  return process.env.LOSSLAB_CACHE_DIR || join(osCacheDir(), 'losslab', 'decoded');
}
