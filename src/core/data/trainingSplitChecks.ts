/**
 * Checks of the training split as a run will see it (after subsets and hold-outs): what would make
 * training meaningless is refused in one line, what can be worked around is said in the summary.
 */
import type { DatasetConfig } from '../config/types';
import { DatasetError } from './errors';
import type { ImageDataset, ImageSplit } from './types';

/** Labels may name one class only (a label file of one value, a subset of one class): training would learn nothing, so it is refused. */
export function requireTwoTrainingClasses(train: ImageSplit, subset: boolean, ds: ImageDataset, cfg: DatasetConfig): void {
  if (train.count === 0 || train.labels.some((l) => l !== train.labels[0])) return;
  const label = train.labels[0];
  const className = ds.classNames?.[label];
  const name = className !== undefined && className !== String(label) ? `${label}, ${className}` : `${label}`;
  const where = subset ? ' after dataset.trainSubset / validationFraction' : ` in ${cfg.path ?? cfg.name}`;
  throw new DatasetError(cfg.path ?? cfg.name, `${cfg.name}: all ${train.count} training images are of one class (label ${name})${where}: a classifier needs at least 2 classes to learn`);
}

/** A channel constant over the training images (std 0) cannot be divided by its std: it is left unscaled, and the summary says so. */
export function constantChannelsUnscaled(stats: { mean: number[]; std: number[] }, warnings: string[]): { mean: number[]; std: number[] } {
  const std = stats.std.map((s, ch) => {
    if (s > 0) return s;
    warnings.push(`channel ${ch} is constant over the training images (std 0): it is centred but not scaled (std taken as 1)`);
    return 1;
  });
  return { mean: stats.mean, std };
}
