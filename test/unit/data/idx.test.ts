import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../../../src/core/data/errors';
import { parseIdx, readIdxFile } from '../../../src/core/data/idx';
import { gzip, idxBytes } from './idxFixtures';

const cube = Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37 + 5) % 256);
const labels = [0, 9, 3, 255, 7];

function isDatasetError(file: string, ...parts: (string | RegExp)[]) {
  return (e: unknown) => {
    assert.ok(e instanceof DatasetError, `expected a DatasetError, got ${String(e)}`);
    assert.equal(e.file, file);
    for (const p of parts) assert.match(e.message, typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
    return true;
  };
}

for (const gz of [false, true]) {
  const kind = gz ? 'gzipped' : 'plain';

  test(`parseIdx reads a ${kind} 3-D uint8 array`, () => {
    const bytes = idxBytes([2, 3, 4], cube);
    const { dims, data } = parseIdx(gz ? gzip(bytes) : bytes, 'cube.idx');
    assert.deepEqual(dims, [2, 3, 4]);
    assert.deepEqual(Array.from(data), cube);
  });

  test(`parseIdx reads a ${kind} 1-D label array`, () => {
    const bytes = idxBytes([labels.length], labels);
    const { dims, data } = parseIdx(gz ? gzip(bytes) : bytes, 'labels.idx');
    assert.deepEqual(dims, [5]);
    assert.deepEqual(Array.from(data), labels);
  });
}

test('parseIdx reads large dims as unsigned big-endian', () => {
  const bytes = idxBytes([1, 0x01_00_00_00], []);
  // Only the header matters: the data is truncated, and the error reports the big dim.
  assert.throws(() => parseIdx(bytes, 'big.idx'), isDatasetError('big.idx', '16777216'));
});

test('readIdxFile reads a file from disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'losslab-idx-'));
  const path = join(dir, 'x.gz');
  writeFileSync(path, gzip(idxBytes([2, 3, 4], cube)));
  const { dims, data } = readIdxFile(path);
  assert.deepEqual(dims, [2, 3, 4]);
  assert.deepEqual(Array.from(data), cube);
});

test('a truncated file names the file and both byte counts', () => {
  const bytes = idxBytes([2, 3, 4], cube).subarray(0, 4 + 12 + 20);
  assert.throws(() => parseIdx(bytes, 'short.idx'), isDatasetError('short.idx', 'short.idx', /\b24\b/, /\b20\b/));
  assert.throws(() => parseIdx(gzip(bytes), 'short.gz'), isDatasetError('short.gz', /\b24\b/, /\b20\b/));
});

test('a truncated header is reported', () => {
  const bytes = idxBytes([2, 3, 4], cube).subarray(0, 9);
  assert.throws(() => parseIdx(bytes, 'hdr.idx'), isDatasetError('hdr.idx', /header/, /\b16\b/, /\b9\b/));
});

test('a wrong magic names the file and the bytes found', () => {
  const bytes = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
  assert.throws(() => parseIdx(bytes, 'zip.idx'), isDatasetError('zip.idx', 'zip.idx', '50 4b 03 04'));
  assert.throws(() => parseIdx(new Uint8Array(0), 'empty.idx'), isDatasetError('empty.idx', 'empty.idx'));
});

test('a non-uint8 type is rejected with its type', () => {
  const bytes = idxBytes([2], [0, 0, 0, 0, 0, 0, 0, 0], 0x0d);
  assert.throws(() => parseIdx(bytes, 'float.idx'), isDatasetError('float.idx', '0x0d', 'float32', 'uint8'));
});

test('a corrupt gzip stream names the file', () => {
  const gz = gzip(idxBytes([2, 3, 4], cube));
  const broken = gz.slice(0, gz.length - 10);
  broken[12] ^= 0xff;
  assert.throws(() => parseIdx(broken, 'bad.gz'), isDatasetError('bad.gz', 'bad.gz', /gzip/));
});

test('a missing file is a DatasetError naming it', () => {
  assert.throws(() => readIdxFile('/nonexistent/losslab/x.idx'), isDatasetError('/nonexistent/losslab/x.idx', 'x.idx'));
});
