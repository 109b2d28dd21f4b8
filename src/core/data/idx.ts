/**
 * Reader for the IDX format used by MNIST and Fashion-MNIST, plain or gzipped.
 * Layout: 0x00 0x00, a type byte, a dims-count byte, then each dim as a
 * big-endian uint32, then the data.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './errors';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const IDX_UINT8 = 0x08;

const TYPE_NAMES: Record<number, string> = {
  0x08: 'uint8',
  0x09: 'int8',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

function gunzip(buf: Uint8Array, fileName: string): Uint8Array {
  try {
    const out = gunzipSync(buf);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new DatasetError(fileName, `${fileName}: corrupt gzip stream (${why})`);
  }
}

/** Parses an IDX file's bytes (gzip detected by its magic bytes). Only uint8 data is supported. */
export function parseIdx(buf: Uint8Array, fileName: string): IdxArray {
  const bytes = isGzip(buf) ? gunzip(buf, fileName) : buf;
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetError(fileName, `${fileName}: not an IDX file (expected magic 00 00 <type> <ndims>, found ${hex(bytes.subarray(0, 4)) || 'nothing'})`);
  }
  const type = bytes[2];
  if (type !== IDX_UINT8) {
    const name = TYPE_NAMES[type] ?? 'unknown';
    throw new DatasetError(fileName, `${fileName}: IDX data type 0x${type.toString(16).padStart(2, '0')} (${name}) is not supported; only uint8 (0x08) is`);
  }
  const ndims = bytes[3];
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DatasetError(fileName, `${fileName}: truncated IDX header: expected ${headerBytes} bytes for ${ndims} dims, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let expected = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    expected *= d;
  }
  const actual = bytes.length - headerBytes;
  if (actual < expected) {
    throw new DatasetError(fileName, `${fileName}: truncated IDX file: dims [${dims.join(', ')}] need ${expected} data bytes, found ${actual}`);
  }
  // Copy so the result does not pin a larger (possibly decompressed) buffer.
  const data = bytes.slice(headerBytes, headerBytes + expected);
  return { dims, data };
}

export function readIdxFile(path: string): IdxArray {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new DatasetError(path, `${path}: cannot read IDX file (${why})`);
  }
  return parseIdx(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), path);
}
