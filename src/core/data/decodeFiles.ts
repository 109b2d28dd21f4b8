/**
 * Decodes a list of image files into one preallocated uint8 NHWC buffer: the
 * shared first-load path of the folder datasets (TinyImageNet, FaceScrub,
 * image folders). Images that fail to read or decode are skipped and reported.
 */
import { readFileSync } from 'node:fs';
import { DatasetError } from './errors';
import { decodeImage, resizeInto } from './imageDecode';

export interface ImageEntry {
  file: string;
  label: number;
}

export interface DecodeOptions {
  /** Resize every image to this size; without it every image must have the first one's size. */
  resizeTo?: { height: number; width: number };
  onProgress?: (done: number, total: number) => void;
}

export interface SkippedImage {
  file: string;
  reason: string;
}

export interface DecodedImages {
  images: Uint8Array; // (count, height, width, 3)
  labels: Int32Array; // (count)
  count: number;
  height: number;
  width: number;
  /** For each decoded image, its index in the entry list (skipped entries leave gaps). */
  sourceIndex: Int32Array;
  skipped: SkippedImage[];
}

const CHANNELS = 3;
const PROGRESS_EVERY = 1000;

function why(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function decodeEntries(entries: readonly ImageEntry[], opts: DecodeOptions = {}): DecodedImages {
  let height = opts.resizeTo?.height ?? 0;
  let width = opts.resizeTo?.width ?? 0;
  let first = '';
  let images: Uint8Array | null = opts.resizeTo ? new Uint8Array(entries.length * height * width * CHANNELS) : null;
  const labels = new Int32Array(entries.length);
  const sourceIndex = new Int32Array(entries.length);
  const skipped: SkippedImage[] = [];
  let count = 0;
  for (let i = 0; i < entries.length; i++) {
    const { file, label } = entries[i];
    let img;
    try {
      img = decodeImage(readFileSync(file));
    } catch (e) {
      skipped.push({ file, reason: why(e) });
      continue;
    }
    if (!images) {
      height = img.height;
      width = img.width;
      first = file;
      images = new Uint8Array(entries.length * height * width * CHANNELS);
    } else if (!opts.resizeTo && (img.height !== height || img.width !== width)) {
      throw new DatasetError(file, `${file}: ${img.width}×${img.height} pixels, but ${first} is ${width}×${height}; ` + 'all images must share one size (or set dataset.imageSize to resize them)');
    }
    resizeInto(img.data, img.width, img.height, CHANNELS, images, count * height * width * CHANNELS, width, height);
    labels[count] = label;
    sourceIndex[count] = i;
    count++;
    if (opts.onProgress && (i + 1) % PROGRESS_EVERY === 0) opts.onProgress(i + 1, entries.length);
  }
  opts.onProgress?.(entries.length, entries.length);
  const per = height * width * CHANNELS;
  return {
    images: (images ?? new Uint8Array(0)).subarray(0, count * per),
    labels: labels.subarray(0, count),
    count,
    height,
    width,
    sourceIndex: sourceIndex.subarray(0, count),
    skipped,
  };
}

const LISTED = 20;

/** One warning line: how many images were skipped, and which (the first 20) and why. */
export function skippedWarning(skipped: readonly SkippedImage[], total: number): string | null {
  if (skipped.length === 0) return null;
  const shown = skipped.slice(0, LISTED).map((s) => `${s.file} (${s.reason})`);
  const more = skipped.length > LISTED ? `; and ${skipped.length - LISTED} more` : '';
  return `skipped ${skipped.length} of ${total} images that could not be read or decoded: ${shown.join('; ')}${more}`;
}
