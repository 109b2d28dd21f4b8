/**
 * Any `root/<class>/*.{jpg,jpeg,png}` tree (torchvision's ImageFolder layout):
 * classes are the sub-folders in byte order; the test split is a second tree
 * with the same class names, or a seeded per-class hold-out of the first.
 */
import { resolve } from 'node:path';
import { Rng } from '../util/rng';
import { ClassFolder, listClassFolders, progressLogger, requireDirectory } from './classFolders';
import { splitPerClassInPlace } from './classSplit';
import { cachedDecode, DecodedSet, LoaderOptions } from './decodeCache';
import { decodeEntries, ImageEntry, skippedWarning } from './decodeFiles';
import { DatasetError } from './errors';
import { channelStats } from './split';
import type { ImageDataset, ImageSplit } from './types';

export interface ImageFolderOptions {
  /** Folder of the test split, with class folders named as in the training folder. */
  testPath?: string;
  /** Resize every image to imageSize × imageSize; without it all images must share one size. */
  imageSize?: number;
  /** Without testPath: fraction of each class held out as the test split. */
  testFraction?: number;
  /** Without testPath and testFraction: leave the test split empty (a validation split replaces it). */
  noTestSplit?: boolean;
}

/** Fixed, so every run of an experiment tests on the same images, whatever its seed. */
const FOLDER_SPLIT_SEED = 0;
const FOLDER_SPLIT_SALT = 0xf01de;
/** Without testPath, testFraction or validationFraction: hold out this much of each class. */
const DEFAULT_TEST_FRACTION = 0.1;

function nonEmpty(classes: ClassFolder[], root: string, what: string): ClassFolder[] {
  if (classes.length === 0) {
    throw new DatasetError(root, `${what}: no class folders in ${root} (expected ${root}/<class>/*.jpg or *.png)`);
  }
  for (const c of classes) {
    if (c.files.length === 0) throw new DatasetError(c.dir, `${what}: empty class folder ${c.dir} (no .jpg, .jpeg or .png files)`);
  }
  return classes;
}

function testClasses(testPath: string, names: string[]): ClassFolder[] {
  requireDirectory(testPath, 'image-folder test split');
  const classes = nonEmpty(listClassFolders(testPath), testPath, 'image-folder test split');
  for (const c of classes) {
    if (!names.includes(c.name)) {
      throw new DatasetError(c.dir, `image-folder: test class folder ${c.dir} has no training folder of the same name`);
    }
  }
  return classes;
}

function decode(root: string, train: ClassFolder[], test: ClassFolder[], o: ImageFolderOptions, log?: (m: string) => void): DecodedSet {
  const names = train.map((c) => c.name);
  const entries: ImageEntry[] = [];
  for (const c of [...train, ...test]) {
    const label = names.indexOf(c.name);
    for (const file of c.files) entries.push({ file, label });
  }
  const nTrainFiles = train.reduce((s, c) => s + c.files.length, 0);
  const size = o.imageSize;
  const d = decodeEntries(entries, {
    resizeTo: size ? { height: size, width: size } : undefined,
    onProgress: progressLogger(`image-folder ${root}`, log),
  });
  const perClass = new Int32Array(names.length);
  let nTrain = 0;
  for (let i = 0; i < d.count && d.sourceIndex[i] < nTrainFiles; i++, nTrain++) perClass[d.labels[i]]++;
  const emptyClass = train.find((_, k) => perClass[k] === 0);
  if (emptyClass) throw new DatasetError(emptyClass.dir, `image-folder: no image in ${emptyClass.dir} could be decoded`);
  const per = d.height * d.width * 3;
  const view = (a: number, b: number): ImageSplit => ({ images: d.images.subarray(a * per, b * per), labels: d.labels.subarray(a, b), count: b - a });
  const warning = skippedWarning(d.skipped, entries.length);
  return {
    height: d.height,
    width: d.width,
    channels: 3,
    classNames: names,
    splits: test.length
      ? [
          { name: 'train', split: view(0, nTrain) },
          { name: 'test', split: view(nTrain, d.count) },
        ]
      : [{ name: 'all', split: view(0, d.count) }],
    warnings: warning ? [warning] : [],
    meta: {},
  };
}

export function loadImageFolder(root: string, o: ImageFolderOptions = {}, opts: LoaderOptions = {}): ImageDataset {
  requireDirectory(root, 'image-folder');
  const train = nonEmpty(listClassFolders(root), root, 'image-folder');
  const test = o.testPath
    ? testClasses(
        o.testPath,
        train.map((c) => c.name),
      )
    : [];
  const files = [...train, ...test].flatMap((c) => c.files);
  const { set } = cachedDecode(
    { kind: 'image-folder', datasetDir: root, files, options: { imageSize: o.imageSize ?? null, testPath: o.testPath ? resolve(o.testPath) : null } },
    () => decode(root, train, test, o, opts.log),
    opts,
  );
  const numClasses = set.classNames.length;
  let trainSplit: ImageSplit;
  let testSplit: ImageSplit;
  let how: string;
  if (set.splits.length === 2) {
    [trainSplit, testSplit] = [set.splits[0].split, set.splits[1].split];
    how = `test folder ${o.testPath}`;
  } else if (o.noTestSplit && o.testFraction === undefined) {
    trainSplit = set.splits[0].split;
    testSplit = { images: new Uint8Array(0), labels: new Int32Array(0), count: 0 };
    how = 'no test split';
  } else {
    const fraction = o.testFraction ?? DEFAULT_TEST_FRACTION;
    const s = splitPerClassInPlace(set.splits[0].split, numClasses, fraction, new Rng(FOLDER_SPLIT_SEED).fork(FOLDER_SPLIT_SALT));
    [trainSplit, testSplit] = [s.train, s.test];
    how = `${fraction} of each class held out (seed ${FOLDER_SPLIT_SEED})`;
  }
  const { mean, std } = channelStats(trainSplit, set.height, set.width, 3);
  const summary = `image-folder: ${numClasses} classes, ${trainSplit.count} train / ${testSplit.count} test images, ${set.width}×${set.height}; ${how}`;
  opts.log?.(summary);
  return {
    name: 'image-folder',
    height: set.height,
    width: set.width,
    channels: 3,
    numClasses,
    classNames: set.classNames,
    train: trainSplit,
    test: testSplit,
    mean,
    std,
    source: `${root} (${summary})`,
    warnings: set.warnings,
  };
}
