/**
 * The one entry point the trainer uses: resolve a DatasetConfig into an
 * ImageDataset with subsets, validation hold-out and normalisation stats applied.
 */
import { existsSync } from 'node:fs';
import type { DatasetConfig } from '../config/types';
import { Rng } from '../util/rng';
import { loadCifar100 } from './cifar100';
import { defaultDatasetDir } from './dataPaths';
import type { LoaderOptions } from './decodeCache';
import { asDatasetReadError } from './datasetFaults';
import { summarizeDataset } from './datasetSummary';
import { DatasetError } from './errors';
import { loadFaceScrub } from './faceScrub';
import { loadImageFolder } from './imageFolder';
import { DEFAULT_MNIST_LIKE_PATHS, loadMnistLike, MnistLikeName } from './mnistLike';
import { channelStats, holdOutValidation, sharedSplit, subsetSplit } from './split';
import { loadTinyImageNet } from './tinyImageNet';
import { constantChannelsUnscaled, requireTwoTrainingClasses } from './trainingSplitChecks';
import type { ImageDataset } from './types';

// Salts for the seeded draws, so they do not share a stream with init or shuffling.
const SUBSET_SALT = 0x5b5e7;
const VALIDATION_SALT = 0x7a11d;

/** Debian's package folder when installed, else where `losslab download` puts it. */
function mnistLikePath(name: MnistLikeName): string {
  const debian = DEFAULT_MNIST_LIKE_PATHS[name];
  const downloaded = defaultDatasetDir(name);
  return existsSync(debian) || !existsSync(downloaded) ? debian : downloaded;
}

function loadRaw(cfg: DatasetConfig, opts: LoaderOptions): ImageDataset {
  switch (cfg.name) {
    case 'fashion-mnist':
    case 'mnist':
      return loadMnistLike(cfg.name, cfg.path ?? mnistLikePath(cfg.name));
    case 'cifar100':
      return loadCifar100(cfg.path ?? defaultDatasetDir('cifar100'), cfg.labels ?? 'fine', opts);
    case 'tiny-imagenet':
      return loadTinyImageNet(cfg.path ?? defaultDatasetDir('tiny-imagenet'), opts);
    case 'facescrub':
      return loadFaceScrub(cfg.path ?? defaultDatasetDir('facescrub'), { minImagesPerClass: cfg.minImagesPerClass, testFraction: cfg.testFraction, imageSize: cfg.imageSize }, opts);
    case 'image-folder':
      if (!cfg.path) throw new DatasetError('image-folder', 'image-folder needs dataset.path: the folder holding one sub-folder per class');
      return loadImageFolder(cfg.path, { testPath: cfg.testPath, imageSize: cfg.imageSize, testFraction: cfg.testFraction, noTestSplit: cfg.validationFraction !== undefined }, opts);
    default: {
      const name: string = (cfg as { name: string }).name;
      throw new DatasetError(cfg.path ?? name, `unknown dataset "${name}" (supported: fashion-mnist, mnist, cifar100, tiny-imagenet, facescrub, image-folder)`);
    }
  }
}

/** Every read fault of a loader is a dataset error naming the path. */
function loadRawOrExplain(cfg: DatasetConfig, opts: LoaderOptions): ImageDataset {
  try {
    return loadRaw(cfg, opts);
  } catch (err) {
    throw asDatasetReadError(err, cfg.name);
  }
}

/** A classifier needs two classes; one left (a one-class folder, FaceScrub's threshold) is the dataset's fault, not a tensor error. */
function requireTwoClasses(ds: ImageDataset, cfg: DatasetConfig): void {
  if (ds.numClasses >= 2) return;
  const which = ds.classNames?.length ? ` (${ds.classNames.join(', ')})` : '';
  const rule = cfg.name === 'facescrub' ? ` with at least dataset.minImagesPerClass = ${cfg.minImagesPerClass ?? 70} images; lower it or add identities` : '; add a second class folder';
  throw new DatasetError(cfg.path ?? cfg.name, `${cfg.name}: ${ds.numClasses} ${cfg.name === 'facescrub' ? 'identity' : 'class'} left${which}${rule}: a classifier needs at least 2`);
}

/** A subset asked larger than the split: all of it is used, and the summary says so. */
function oversizeNote(key: 'trainSubset' | 'testSubset', asked: number, split: string, available: number): string {
  return `${split}: all ${available} images used (dataset.${key} ${asked} is more than the ${available} there are)`;
}

function checkCount(cfg: DatasetConfig, key: 'trainSubset' | 'testSubset'): void {
  const n = cfg[key];
  if (n !== undefined && (!Number.isInteger(n) || n <= 0)) {
    throw new DatasetError(cfg.path ?? cfg.name, `dataset.${key} must be a positive integer, got ${n}`);
  }
}

/**
 * Order of operations: take the first `trainSubset` training images (a seeded
 * random `trainSubset`, kept in file order, when `shuffleSubset`); when
 * `validation` is set, hold out that fraction of them (stratified, seeded) as a
 * validation split beside the test split; when `validationFraction` is set, hold out that fraction of them (stratified,
 * seeded) as the evaluation split in place of the test split; cap the
 * evaluation split at its first `testSubset` images; compute mean/std over
 * the training split that remains.
 */
export function loadDataset(cfg: DatasetConfig, seed: number, opts: LoaderOptions = {}): ImageDataset {
  checkCount(cfg, 'trainSubset');
  checkCount(cfg, 'testSubset');
  const f = cfg.validationFraction;
  for (const key of ['validationFraction', 'validation'] as const) {
    const v = cfg[key];
    if (v !== undefined && !(v > 0 && v < 1)) throw new DatasetError(cfg.path ?? cfg.name, `dataset.${key} must be between 0 and 1 (exclusive), got ${v}`);
  }
  if (f !== undefined && cfg.validation !== undefined) {
    throw new DatasetError(cfg.path ?? cfg.name, 'dataset.validation and dataset.validationFraction cannot both be set: validation keeps the test split beside it, validationFraction replaces it');
  }

  const raw = loadRawOrExplain(cfg, opts);
  requireTwoClasses(raw, cfg);
  const notes: string[] = [];
  const warnings: string[] = [...(raw.warnings ?? [])];

  let train = raw.train;
  if (cfg.trainSubset !== undefined && cfg.trainSubset < train.count) {
    if (cfg.shuffleSubset) {
      train = subsetSplit(train, cfg.trainSubset, new Rng(seed).fork(SUBSET_SALT));
      notes.push(`train: ${train.count} of ${raw.train.count} after a seeded shuffle (seed ${seed})`);
    } else {
      train = subsetSplit(train, cfg.trainSubset);
      notes.push(`train: first ${train.count} of ${raw.train.count}`);
    }
  } else if (cfg.trainSubset !== undefined && cfg.trainSubset > train.count) {
    warnings.push(oversizeNote('trainSubset', cfg.trainSubset, 'train', train.count));
  }

  let evaluation = raw.test;
  let evalName = 'test';
  let validation: ImageDataset['validation'];
  if (cfg.validation !== undefined) {
    // The same draw as validationFraction's: for one seed, the same images whichever of the two is set.
    const held = holdOutValidation(train, cfg.validation, new Rng(seed).fork(VALIDATION_SALT));
    notes.push(`validation: stratified ${cfg.validation} hold-out of train (${held.validation.count} images, seed ${seed}), beside the test split`);
    train = held.train;
    validation = held.validation;
  }
  if (f !== undefined) {
    const held = holdOutValidation(train, f, new Rng(seed).fork(VALIDATION_SALT));
    notes.push(`evaluation: stratified ${f} hold-out of train (${held.validation.count} images, seed ${seed}) replaces the test split`);
    train = held.train;
    evaluation = held.validation;
    evalName = 'validation';
  }

  if (cfg.testSubset !== undefined && cfg.testSubset < evaluation.count) {
    // Never shuffled: every run of a grid is evaluated on the same images (the protocol's "first 2,000 test images").
    notes.push(`${evalName}: first ${cfg.testSubset} of ${evaluation.count} (not shuffled: the same images for every run)`);
    evaluation = subsetSplit(evaluation, cfg.testSubset);
  } else if (cfg.testSubset !== undefined && cfg.testSubset > evaluation.count) {
    warnings.push(oversizeNote('testSubset', cfg.testSubset, evalName, evaluation.count));
  }

  requireTwoTrainingClasses(train, train !== raw.train, raw, cfg);
  const stats = train === raw.train ? { mean: [...raw.mean], std: [...raw.std] } : channelStats(train, raw.height, raw.width, raw.channels);
  const { mean, std } = constantChannelsUnscaled(stats, warnings);

  const loaded: ImageDataset = {
    ...raw,
    // In shared memory once, where the prefetch thread reads it (data/prefetch.ts).
    train: sharedSplit(train),
    test: evaluation,
    ...(validation ? { validation } : {}),
    mean,
    std,
    source: notes.length ? `${raw.source} (${notes.join('; ')})` : raw.source,
    notes: [...(raw.notes ?? []), ...notes],
    warnings,
  };
  return { ...loaded, summary: summarizeDataset(loaded, raw.source, evalName === 'test' ? 'test' : 'validation') };
}
