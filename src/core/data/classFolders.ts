/**
 * Helpers shared by the folder-per-class datasets (image folders, FaceScrub,
 * TinyImageNet): listing class folders, progress lines, dropping classes.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from './errors';
import { isImageFileName } from './imageDecode';

export interface ClassFolder {
  name: string;
  dir: string;
  /** Image files (.jpg, .jpeg, .png in any case), sorted by name. */
  files: string[];
}

/** Byte-wise sort, so class indices do not depend on the machine's locale. */
export function sortedNames(dir: string): string[] {
  return readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function requireDirectory(dir: string, what: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DatasetError(dir, `${what}: folder ${dir} not found`);
}

/** Image files in `dir`, sorted; from the directory listing alone (no stat per file: TinyImageNet has 110,000). */
export function imageFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.') && isImageFileName(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((n) => join(dir, n));
}

/** One entry per sub-folder of `root` (hidden ones, such as `.losslab-cache`, skipped), sorted by name. */
export function listClassFolders(root: string): ClassFolder[] {
  return sortedNames(root)
    .filter((n) => !n.startsWith('.') && statSync(join(root, n)).isDirectory())
    .map((name) => ({ name, dir: join(root, name), files: imageFilesIn(join(root, name)) }));
}

/** Logs "<label>: k/n images" at every further tenth of the way. */
export function progressLogger(label: string, log?: (m: string) => void): (done: number, total: number) => void {
  let shown = -1;
  return (done, total) => {
    const tenth = Math.floor((10 * done) / Math.max(1, total));
    if (!log || tenth === shown) return;
    shown = tenth;
    log(`${label}: decoded ${done}/${total} images`);
  };
}

/**
 * Keeps the images whose label has keep[label] ≥ 0 and relabels them to
 * keep[label], compacting the buffer in place. Returns the new count.
 */
export function keepClassesInPlace(images: Uint8Array, labels: Int32Array, count: number, keep: Int32Array): number {
  const per = count === 0 ? 0 : images.length / count;
  let w = 0;
  for (let r = 0; r < count; r++) {
    const to = keep[labels[r]];
    if (to < 0) continue;
    if (w !== r) images.copyWithin(w * per, r * per, (r + 1) * per);
    labels[w++] = to;
  }
  return w;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
