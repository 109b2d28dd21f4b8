/** The dataset summary: built once per load, printed by the CLI, stored as the run's dataset.json, shown in reports. */
import type { DatasetSummary, ImageDataset } from './types';

const count = (n: number) => n.toLocaleString('en-US');

/** `ds` as loaded for the run; `source` the loader's account, before subsets were noted in it. */
export function summarizeDataset(ds: ImageDataset, source: string, evaluation: DatasetSummary['evaluation']): DatasetSummary {
  return {
    name: ds.name,
    source,
    classes: ds.numClasses,
    imageShape: [ds.height, ds.width, ds.channels],
    train: ds.train.count,
    test: ds.test.count,
    evaluation,
    ...(ds.validation ? { validation: ds.validation.count } : {}),
    notes: [...(ds.notes ?? [])],
    warnings: [...(ds.warnings ?? [])],
  };
}

/** The headline: "fashion-mnist: 10 classes, 6,000 train / 10,000 test images (28×28×1)". */
function datasetHeadline(s: DatasetSummary): string {
  const [h, w, c] = s.imageShape;
  const validation = s.validation !== undefined ? ` / ${count(s.validation)} validation` : '';
  return `${s.name}: ${s.classes} classes, ${count(s.train)} train${validation} / ${count(s.test)} ${s.evaluation} images (${h}×${w}×${c})`;
}

/** The headline, then where it came from, what was left out and what was skipped: one line each. */
export function formatDatasetSummary(s: DatasetSummary): string[] {
  return [datasetHeadline(s), `  from ${s.source}`, ...s.notes.map((n) => `  ${n}`), ...s.warnings.map((w) => `  warning: ${w}`)];
}
