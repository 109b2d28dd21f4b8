/**
 * A chart image the results panel asks the host to save: checked before anything is written
 * (the webview is a page, and what it posts is input), and where it goes by default. No vscode here.
 */
import * as path from 'node:path';
import type { ChartImageFormat } from '../../protocol/webview';

const PNG_URL_PREFIX = 'data:image/png;base64,';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The file's bytes; an Error naming what is wrong for anything that is not a PNG data URL, an SVG document, JSON or CSV text. */
export function chartImageBytes(format: ChartImageFormat, data: string): Buffer {
  if (format === 'png') {
    if (!data.startsWith(PNG_URL_PREFIX)) throw new Error('the chart image is not a PNG (expected a data:image/png;base64 URL from the canvas)');
    const bytes = Buffer.from(data.slice(PNG_URL_PREFIX.length), 'base64');
    if (bytes.length <= PNG_SIGNATURE.length || !bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) throw new Error('the chart image is not a PNG (its bytes lack the PNG signature)');
    return bytes;
  }
  const text = data.trim();
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch {
      throw new Error('the chart data is not JSON');
    }
    return Buffer.from(data, 'utf8');
  }
  if (format === 'csv') {
    if (text.length === 0) throw new Error('the chart data is empty (expected CSV)');
    return Buffer.from(data, 'utf8');
  }
  if (!text.startsWith('<svg') || !text.endsWith('</svg>')) throw new Error('the chart image is not an SVG document (expected <svg …>…</svg>)');
  return Buffer.from(data, 'utf8');
}

/** `<experiment>/<experiment name>-<chart>.<png|svg>`, beside the table's export. */
export function defaultChartPath(experimentDir: string, chart: string, format: ChartImageFormat): string {
  return path.join(experimentDir, `${path.basename(experimentDir)}-${chart}.${format}`);
}
