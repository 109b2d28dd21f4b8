/** Images stay uint8 (NHWC, row-major) until a batch is made: 4x less memory than float32. */
export interface ImageSplit {
  readonly images: Uint8Array; // (count, height, width, channels)
  readonly labels: Int32Array; // (count)
  readonly count: number;
}

export interface ImageDataset {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly train: ImageSplit;
  readonly test: ImageSplit;
  /** Held out of the training images beside the test split (dataset.validation): what tuning selects on. */
  readonly validation?: ImageSplit;
  /** Per-channel mean and std of the training split, in [0, 1] pixel units. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Where the files came from, for the run's record. */
  readonly source: string;
  /** Problems that did not stop the load, e.g. images that failed to decode and were skipped. */
  readonly warnings?: readonly string[];
  /** What the load left out on purpose and why (classes below a threshold, subsets, hold-outs). */
  readonly notes?: readonly string[];
  /** Set by loadDataset: the account of this load as a run records it. */
  readonly summary?: DatasetSummary;
}

/** What a run trained and evaluated on: printed when it starts, kept in its folder, shown in the report. */
export interface DatasetSummary {
  name: string;
  /** Where the files came from, with the loader's own account of them. */
  source: string;
  classes: number;
  imageShape: [height: number, width: number, channels: number];
  train: number;
  /** Images of the evaluation split: the test split, or a validation hold-out that replaces it. */
  test: number;
  evaluation: 'test' | 'validation';
  /** Images of the validation split kept beside the test split (dataset.validation). */
  validation?: number;
  /** What was dropped or subset on purpose, and why. */
  notes: string[];
  /** What was skipped because it could not be read. */
  warnings: string[];
}
