/**
 * TinyImageNet in its official `tiny-imagenet-200` layout: `wnids.txt` (the 200
 * classes; label = line order), `words.txt` (names), `train/<wnid>/images/*.JPEG`
 * (500 per class) and `val/images/*.JPEG` labelled by `val/val_annotations.txt`.
 * The labelled val split is the test split, as the paper used it. 64×64 RGB.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { imageFilesIn, progressLogger, sortedNames } from './classFolders';
import { defaultDatasetDir } from './dataPaths';
import { cachedDecode, DecodedSet, LoaderOptions } from './decodeCache';
import { decodeEntries, ImageEntry, skippedWarning } from './decodeFiles';
import { DatasetError } from './errors';
import { channelStats } from './split';
import type { ImageDataset, ImageSplit } from './types';

const TINY_IMAGENET_FOLDER = 'tiny-imagenet-200';
const TINY_IMAGENET_ARCHIVE = 'tiny-imagenet-200.zip';
const SIDE = 64;

function locate(p: string): string {
  for (const root of [p, join(p, TINY_IMAGENET_FOLDER)]) if (existsSync(join(root, 'wnids.txt'))) return root;
  const zip = p.toLowerCase().endsWith('.zip') ? p : join(p, TINY_IMAGENET_ARCHIVE);
  const dir = p.toLowerCase().endsWith('.zip') ? join(p, '..') : p;
  if (existsSync(zip)) {
    throw new DatasetError(zip, `tiny-imagenet: ${zip} is not extracted yet; \`losslab download tiny-imagenet --dir ${dir}\` checks and extracts it`);
  }
  throw new DatasetError(
    p,
    `tiny-imagenet: no ${join(p, 'wnids.txt')} or ${join(p, TINY_IMAGENET_FOLDER, 'wnids.txt')}. ` +
      `Run \`losslab download tiny-imagenet --dir ${p}\`, or put ${TINY_IMAGENET_ARCHIVE} there by hand and run it to extract`,
  );
}

function lines(file: string): { text: string; line: number }[] {
  if (!existsSync(file)) throw new DatasetError(file, `tiny-imagenet: ${file} is missing (incomplete extraction?)`);
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((text, i) => ({ text: text.trim(), line: i + 1 }))
    .filter((l) => l.text !== '');
}

function readWnids(file: string): string[] {
  const wnids: string[] = [];
  for (const { text, line } of lines(file)) {
    if (wnids.includes(text)) throw new DatasetError(file, `${file}:${line}: ${text} is listed twice`);
    wnids.push(text);
  }
  return wnids;
}

/** The first synonym of each wnid from words.txt ("goldfish, Carassius auratus" → "goldfish"); the wnid itself otherwise. */
function classNames(root: string, wnids: string[]): string[] {
  const file = join(root, 'words.txt');
  if (!existsSync(file)) return wnids;
  const words = new Map<string, string>();
  for (const { text } of lines(file)) {
    const tab = text.indexOf('\t');
    if (tab > 0)
      words.set(
        text.slice(0, tab),
        text
          .slice(tab + 1)
          .split(',')[0]
          .trim(),
      );
  }
  return wnids.map((w) => words.get(w) || w);
}

function trainEntries(root: string, wnids: string[]): ImageEntry[] {
  const trainDir = join(root, 'train');
  if (!existsSync(trainDir)) throw new DatasetError(trainDir, `tiny-imagenet: ${trainDir} is missing (incomplete extraction?)`);
  for (const name of sortedNames(trainDir)) {
    if (!name.startsWith('.') && statSync(join(trainDir, name)).isDirectory() && !wnids.includes(name)) {
      throw new DatasetError(join(trainDir, name), `tiny-imagenet: class folder ${join(trainDir, name)} is not listed in ${join(root, 'wnids.txt')}`);
    }
  }
  return wnids.flatMap((wnid, label) => {
    const dir = join(trainDir, wnid, 'images');
    if (!existsSync(dir)) throw new DatasetError(dir, `tiny-imagenet: class folder ${dir} is missing`);
    const files = imageFilesIn(dir);
    if (files.length === 0) throw new DatasetError(dir, `tiny-imagenet: empty class folder ${dir} (no .JPEG files)`);
    return files.map((file) => ({ file, label }));
  });
}

function valEntries(root: string, wnids: string[]): ImageEntry[] {
  const file = join(root, 'val', 'val_annotations.txt');
  const index = new Map(wnids.map((w, i) => [w, i]));
  return lines(file).map(({ text, line }) => {
    const [name, wnid] = text.split(/\s+/);
    const label = index.get(wnid ?? '');
    if (!wnid || label === undefined) {
      throw new DatasetError(file, `${file}:${line}: ${wnid ? `wnid ${wnid} is not in wnids.txt` : 'expected "<file>\\t<wnid>\\t..."'}`);
    }
    return { file: join(root, 'val', 'images', name), label };
  });
}

function decode(root: string, wnids: string[], train: ImageEntry[], val: ImageEntry[], log?: (m: string) => void): DecodedSet {
  const d = decodeEntries([...train, ...val], { resizeTo: { height: SIDE, width: SIDE }, onProgress: progressLogger(`tiny-imagenet ${root}`, log) });
  let nTrain = 0;
  while (nTrain < d.count && d.sourceIndex[nTrain] < train.length) nTrain++;
  const perClass = new Int32Array(wnids.length);
  for (let i = 0; i < nTrain; i++) perClass[d.labels[i]]++;
  const empty = wnids.findIndex((_, k) => perClass[k] === 0);
  if (empty >= 0) throw new DatasetError(join(root, 'train', wnids[empty]), `tiny-imagenet: no image of class ${wnids[empty]} could be decoded`);
  const per = SIDE * SIDE * 3;
  const view = (a: number, b: number): ImageSplit => ({ images: d.images.subarray(a * per, b * per), labels: d.labels.subarray(a, b), count: b - a });
  const warning = skippedWarning(d.skipped, train.length + val.length);
  const trainSplit = view(0, nTrain);
  return {
    height: SIDE,
    width: SIDE,
    channels: 3,
    classNames: classNames(root, wnids),
    splits: [
      { name: 'train', split: trainSplit },
      { name: 'test', split: view(nTrain, d.count) },
    ],
    warnings: warning ? [warning] : [],
    // The training split is fixed, so its statistics are cached too: a pass over 1.2 GB costs seconds.
    meta: channelStats(trainSplit, SIDE, SIDE, 3),
  };
}

export function loadTinyImageNet(path: string = defaultDatasetDir('tiny-imagenet'), opts: LoaderOptions = {}): ImageDataset {
  const root = locate(path);
  const wnidsFile = join(root, 'wnids.txt');
  const wnids = readWnids(wnidsFile);
  const train = trainEntries(root, wnids);
  const val = valEntries(root, wnids);
  const files = [wnidsFile, join(root, 'val', 'val_annotations.txt'), ...train.map((e) => e.file), ...val.map((e) => e.file).filter((f) => existsSync(f))];
  const { set } = cachedDecode({ kind: 'tiny-imagenet', datasetDir: root, files, options: { size: SIDE } }, () => decode(root, wnids, train, val, opts.log), opts);
  const [trainSplit, testSplit] = [set.splits[0].split, set.splits[1].split];
  const { mean, std } = set.meta as { mean: number[]; std: number[] };
  return {
    name: 'tiny-imagenet',
    height: SIDE,
    width: SIDE,
    channels: 3,
    numClasses: wnids.length,
    classNames: set.classNames,
    train: trainSplit,
    test: testSplit,
    mean,
    std,
    source: `${root} (TinyImageNet: ${wnids.length} classes, ${trainSplit.count} train / ${testSplit.count} val-as-test images)`,
    warnings: set.warnings,
  };
}
