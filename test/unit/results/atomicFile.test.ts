import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendLine, readJsonLines, writeFileAtomic } from '../../../src/core/results/atomicFile';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-atomic-'));

test('writeFileAtomic replaces the content and leaves no temporary file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'status.json');
  writeFileAtomic(file, 'first');
  writeFileAtomic(file, '{"state":"done"}');
  assert.equal(fs.readFileSync(file, 'utf8'), '{"state":"done"}');
  assert.deepEqual(fs.readdirSync(dir), ['status.json']);
  writeFileAtomic(path.join(dir, 'checkpoint.bin'), new Uint8Array([1, 2, 255]));
  assert.deepEqual([...fs.readFileSync(path.join(dir, 'checkpoint.bin'))], [1, 2, 255]);
});

test('writeFileAtomic cleans up its temporary file when the rename fails', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'target')); // renaming a file over a directory fails
  assert.throws(() => writeFileAtomic(path.join(dir, 'target'), 'x'));
  assert.deepEqual(fs.readdirSync(dir), ['target']);
});

test('appendLine writes one JSON value per line', () => {
  const file = path.join(tempDir(), 'metrics.jsonl');
  appendLine(file, { epoch: 1 });
  appendLine(file, { epoch: 2 });
  assert.equal(fs.readFileSync(file, 'utf8'), '{"epoch":1}\n{"epoch":2}\n');
});

test('a torn last line is reported and the complete lines kept; the next append starts a fresh line', () => {
  const file = path.join(tempDir(), 'metrics.jsonl');
  fs.writeFileSync(file, '{"epoch":1}\n{"epoch":2}\n{"epo');
  assert.deepEqual(readJsonLines(file), { values: [{ epoch: 1 }, { epoch: 2 }], badLines: [{ line: 3, last: true }] });
  appendLine(file, { epoch: 3 });
  assert.deepEqual(readJsonLines(file), { values: [{ epoch: 1 }, { epoch: 2 }, { epoch: 3 }], badLines: [{ line: 3, last: false }] });
});

test('a missing file reads as no lines', () => {
  assert.deepEqual(readJsonLines(path.join(tempDir(), 'none.jsonl')), { values: [], badLines: [] });
});
