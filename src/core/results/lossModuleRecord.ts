/**
 * What a run trained with a custom loss records of its module, since the config names only its path:
 * a content hash of the module's files (the entry and the sources it imports) and their text, in
 * `<run>/loss-module/`. A module whose files now hash differently makes the run stale like a changed
 * config field (staleness.ts), and the saved text shows what the run actually trained with.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonIfExists, writeFileAtomic, writeJsonAtomic } from './atomicFile';

export const LOSS_MODULE_DIR = 'loss-module';
const RECORD_FILE = 'record.json';
/** The module's text is saved up to this many bytes in all; the hash always covers every file. */
export const SOURCE_CAP_BYTES = 256 * 1024;

export interface LossModuleRecord {
  /** The module's entry file, absolute. */
  entry: string;
  /** sha256 of every file's path (relative to the entry's folder) and text. */
  hash: string;
  /** Every file, the entry first: where it was, and where its text was saved under loss-module/ (absent past the cap). */
  files: { file: string; bytes: number; saved?: string }[];
}

/** A file's path relative to the entry's folder, with `..` spelled so that it stays inside loss-module/. */
function relativeName(entry: string, file: string): string {
  return path
    .relative(path.dirname(entry), file)
    .split(path.sep)
    .map((part) => (part === '..' ? '_up_' : part))
    .join('/');
}

/** The hash of a module's files (file → text, or undefined for one that is gone); independent of their order. */
export function lossModuleHash(entry: string, sources: ReadonlyMap<string, string | undefined>): string {
  const h = createHash('sha256');
  for (const [name, text] of [...sources].map(([file, text]) => [relativeName(entry, file), text] as const).sort(([a], [b]) => a.localeCompare(b))) {
    h.update(`${name}\0${text === undefined ? '(missing)' : `${Buffer.byteLength(text)}\0${text}`}\0`);
  }
  return h.digest('hex');
}

/** Writes `<runDir>/loss-module/`: record.json and the files' text (up to SOURCE_CAP_BYTES in all). */
export function writeLossModuleRecord(runDir: string, entry: string, sources: ReadonlyMap<string, string>): LossModuleRecord {
  const dir = path.join(runDir, LOSS_MODULE_DIR);
  fs.rmSync(dir, { recursive: true, force: true }); // a restart's earlier module must not linger
  let budget = SOURCE_CAP_BYTES;
  const files: LossModuleRecord['files'] = [];
  for (const [file, text] of sources) {
    const bytes = Buffer.byteLength(text);
    const saved = bytes <= budget ? path.posix.join('files', relativeName(entry, file)) : undefined;
    if (saved) {
      budget -= bytes;
      fs.mkdirSync(path.dirname(path.join(dir, saved)), { recursive: true });
      writeFileAtomic(path.join(dir, saved), text);
    }
    files.push({ file, bytes, ...(saved ? { saved } : {}) });
  }
  const record: LossModuleRecord = { entry, hash: lossModuleHash(entry, sources), files };
  writeJsonAtomic(path.join(dir, RECORD_FILE), record);
  return record;
}

/** The run's record of its loss module; undefined for a run without a custom loss (or from before it was recorded). */
export function readLossModuleRecord(runDir: string): LossModuleRecord | undefined {
  try {
    const record = readJsonIfExists<LossModuleRecord>(path.join(runDir, LOSS_MODULE_DIR, RECORD_FILE));
    return record && typeof record.hash === 'string' && Array.isArray(record.files) ? record : undefined;
  } catch {
    return undefined; // a damaged record: nothing to compare, as for older runs
  }
}

/** The hash the recorded files give now (a file that is gone counts as changed). */
export function currentLossModuleHash(record: LossModuleRecord): string {
  const now = new Map<string, string | undefined>();
  for (const { file } of record.files) {
    try {
      now.set(file, fs.readFileSync(file, 'utf8'));
    } catch {
      now.set(file, undefined);
    }
  }
  return lossModuleHash(record.entry, now);
}
