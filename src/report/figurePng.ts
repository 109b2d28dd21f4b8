/**
 * Figure PNG files, whichever renderer drew them: the names a report may write, the size
 * read back from the bytes, and saving a PNG that arrives as a `data:` URL (the figures
 * rendered inside a VS Code webview, where there is no Chromium to drive).
 */
import * as path from 'node:path';
import { writeFileAtomic } from '../core/results/atomicFile';

/** A figure file name the page may ask for: no folders, no dot-files, `.png`. */
export const SAFE_PNG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.png$/;

export interface RenderedFigure {
  file: string;
  path: string;
  kind: string;
  /** Points plotted on the figure's canvases (table rows for the table). */
  points: number;
  width: number;
  height: number;
}

/** Width and height from a PNG's IHDR chunk; undefined when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const PNG_DATA_URL = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/;

/** Decodes and writes one figure; throws, naming the figure, on a bad name or bytes that are not a PNG. */
export function savePngDataUrl(outDir: string, figure: { file: string; kind: string; points: number }, dataUrl: string): RenderedFigure {
  if (!SAFE_PNG_NAME.test(figure.file)) throw new Error(`figure '${figure.file}': not a plain PNG file name`);
  const match = PNG_DATA_URL.exec(dataUrl);
  if (!match) throw new Error(`figure '${figure.file}': expected a data:image/png;base64 URL, got '${dataUrl.slice(0, 30)}…'`);
  const bytes = Buffer.from(match[1], 'base64');
  const size = pngSize(bytes);
  if (!size || size.width === 0 || size.height === 0) throw new Error(`figure '${figure.file}': the data is not a PNG image`);
  const file = path.join(outDir, figure.file);
  writeFileAtomic(file, bytes);
  return { ...figure, path: file, ...size };
}
