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
  /** Per-channel mean and std of the training split, in [0, 1] pixel units. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Where the files came from, for the run's record. */
  readonly source: string;
  /** Problems that did not stop the load, e.g. images that failed to decode and were skipped. */
  readonly warnings?: readonly string[];
}
