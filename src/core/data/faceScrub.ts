/**
 * FaceScrub, as users assemble it (the dataset is published as URL lists): one
 * folder of face images per identity. The paper's protocol: drop identities
 * with fewer than 70 images, hold out 10% of each identity at random, resize
 * to 64×64. The counts that result are reported, since every download differs.
 */
import { existsSync, statSync } from 'node:fs';
import { Rng } from '../util/rng';
import { ClassFolder, formatCount, keepClassesInPlace, listClassFolders, progressLogger } from './classFolders';
import { splitPerClassInPlace } from './classSplit';
import { defaultDatasetDir } from './dataPaths';
import { cachedDecode, DecodedSet, LoaderOptions } from './decodeCache';
import { decodeEntries, skippedWarning } from './decodeFiles';
import { DatasetError } from './errors';
import { channelStats } from './split';
import type { ImageDataset } from './types';

export interface FaceScrubOptions {
  /** Keep identities with at least this many (decodable) images. Default 70: the paper's threshold. */
  minImagesPerClass?: number;
  /** Fraction of each identity held out for testing. Default 0.1: the paper's 10%. */
  testFraction?: number;
  /** Side of the square the faces are resized to. Default 64: the paper's size. */
  imageSize?: number;
}

/** Fixed, so every run (whatever its seed) tests on the same faces, as one published split would. */
const FACESCRUB_SPLIT_SEED = 0;
const FACESCRUB_SPLIT_SALT = 0xfac35;

function decodeKept(root: string, kept: ClassFolder[], min: number, size: number, log?: (m: string) => void): DecodedSet {
  const entries = kept.flatMap((c, label) => c.files.map((file) => ({ file, label })));
  const d = decodeEntries(entries, { resizeTo: { height: size, width: size }, onProgress: progressLogger(`facescrub ${root}`, log) });
  // Skipped images can push an identity under the threshold: recount on what decoded.
  const counts = new Int32Array(kept.length);
  for (let i = 0; i < d.count; i++) counts[d.labels[i]]++;
  const keep = new Int32Array(kept.length).fill(-1);
  const names: string[] = [];
  kept.forEach((c, k) => {
    if (counts[k] >= min) keep[k] = names.push(c.name) - 1;
  });
  const count = keepClassesInPlace(d.images, d.labels, d.count, keep);
  const per = size * size * 3;
  const warning = skippedWarning(d.skipped, entries.length);
  return {
    height: size,
    width: size,
    channels: 3,
    classNames: names,
    splits: [{ name: 'all', split: { images: d.images.subarray(0, count * per), labels: d.labels.subarray(0, count), count } }],
    warnings: warning ? [warning] : [],
    meta: { droppedAfterDecode: kept.length - names.length },
  };
}

export function loadFaceScrub(root: string = defaultDatasetDir('facescrub'), o: FaceScrubOptions = {}, opts: LoaderOptions = {}): ImageDataset {
  const min = o.minImagesPerClass ?? 70;
  const fraction = o.testFraction ?? 0.1;
  const size = o.imageSize ?? 64;
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DatasetError(
      root,
      `facescrub: folder ${root} not found. FaceScrub is published as URL lists, so no download is built in: ` +
        `fetch the images with a FaceScrub download script and arrange them as ${root}/<identity>/*.jpg (one folder per person)`,
    );
  }
  const all = listClassFolders(root);
  if (all.length === 0) throw new DatasetError(root, `facescrub: no identity folders in ${root} (expected ${root}/<identity>/*.jpg)`);
  const kept = all.filter((c) => c.files.length >= min);
  if (kept.length === 0) {
    const largest = all.reduce((a, b) => (b.files.length > a.files.length ? b : a));
    throw new DatasetError(root, `facescrub: no identity in ${root} has ${min} or more images (the largest, ${largest.dir}, has ${largest.files.length}); lower dataset.minImagesPerClass`);
  }
  const { set } = cachedDecode(
    { kind: 'facescrub', datasetDir: root, files: kept.flatMap((c) => c.files), options: { imageSize: size, minImagesPerClass: min } },
    () => decodeKept(root, kept, min, size, opts.log),
    opts,
  );
  const numClasses = set.classNames.length;
  if (numClasses === 0) throw new DatasetError(root, `facescrub: no identity in ${root} has ${min} decodable images`);
  const s = splitPerClassInPlace(set.splits[0].split, numClasses, fraction, new Rng(FACESCRUB_SPLIT_SEED).fork(FACESCRUB_SPLIT_SALT));
  const trains = s.perClass.map(([a]) => a);
  const tests = s.perClass.map(([, b]) => b);
  const summary =
    `FaceScrub protocol: ${numClasses} of ${all.length} identities have ≥${min} images ` +
    `(${all.length - numClasses} dropped); ${fraction} of each held out (seed ${FACESCRUB_SPLIT_SEED}): ` +
    `${formatCount(s.train.count)} train + ${formatCount(s.test.count)} test images, ` +
    `per identity ${Math.min(...trains)}–${Math.max(...trains)} train, ${Math.min(...tests)}–${Math.max(...tests)} test; ${size}×${size}`;
  opts.log?.(summary);
  const notes = droppedNotes(all, min, Number(set.meta.droppedAfterDecode ?? 0));
  const { mean, std } = channelStats(s.train, size, size, 3);
  return {
    name: 'facescrub',
    height: size,
    width: size,
    channels: 3,
    numClasses,
    classNames: set.classNames,
    train: s.train,
    test: s.test,
    mean,
    std,
    source: `${root} (${summary})`,
    warnings: set.warnings,
    notes,
  };
}

const LISTED = 20;

/** Which identities the protocol dropped and why, for the run's dataset summary. */
function droppedNotes(all: ClassFolder[], min: number, afterDecode: number): string[] {
  const few = all.filter((c) => c.files.length < min);
  const notes: string[] = [];
  if (few.length) {
    const shown = few.slice(0, LISTED).map((c) => `${c.name} (${c.files.length})`);
    notes.push(
      `dropped ${few.length} identit${few.length === 1 ? 'y' : 'ies'} with fewer than ${min} images (dataset.minImagesPerClass): ${shown.join(', ')}${few.length > LISTED ? `, and ${few.length - LISTED} more` : ''}`,
    );
  }
  if (afterDecode > 0) notes.push(`dropped ${afterDecode} more identit${afterDecode === 1 ? 'y' : 'ies'} left with fewer than ${min} images once undecodable images were skipped`);
  return notes;
}
