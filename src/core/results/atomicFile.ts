/**
 * Crash-safe file writes. A run can be killed at any moment (stop button, OOM,
 * closed laptop), and the results view reads the files while they are written:
 * whole files are replaced by rename, so a reader sees the old or the new
 * content, never half of one; logs are appended a line at a time.
 *
 * Synchronous on purpose: a training worker writes between epochs and has
 * nothing else to do meanwhile, and ordering across files stays obvious.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A failed write names the file meant, not the temporary (and a write to an open descriptor names
 * none), so a full disk or a read-only folder reads as "cannot write '<file>': …".
 */
export function asWriteError(e: unknown, file: string): unknown {
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string') Object.assign(e, { path: file, syscall: 'write' });
  return e;
}

/** Writes `data` to a temporary file next to `file`, flushes it to disk, then renames it over `file`. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'w');
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    renameWithRetry(temp, file);
  } catch (e) {
    try {
      if (fd !== undefined) fs.closeSync(fd);
      fs.rmSync(temp, { force: true });
    } catch {
      // the first error is the one to report
    }
    throw asWriteError(e, file);
  }
  syncDirectory(path.dirname(file));
}

/**
 * On Windows a rename over a file that a reader (the results view, a virus
 * scanner) has open fails with EPERM/EACCES for a moment; try a few times.
 */
function renameWithRetry(from: string, to: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      return fs.renameSync(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || (code !== 'EPERM' && code !== 'EACCES') || attempt >= 10) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 * attempt); // synchronous sleep
    }
  }
}

/** Makes the rename itself durable. Directories cannot be opened this way on Windows; there it is skipped. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort: the data is already safe in the file
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** True when the file exists, is not empty and does not end in a newline: the last append was cut short. */
function endsTorn(fd: number): boolean {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

/**
 * Appends `value` as one JSON line and flushes it to disk (`fsync: false`: leaves that to the
 * system, for frequent lines whose loss in a crash costs nothing). If an earlier append was
 * cut short, the new line starts on a line of its own, so only the torn line is lost.
 */
export function appendLine(file: string, value: unknown, { fsync = true }: { fsync?: boolean } = {}): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'a+');
  } catch (e) {
    throw asWriteError(e, file);
  }
  try {
    const line = JSON.stringify(value) + '\n';
    fs.writeSync(fd, endsTorn(fd) ? '\n' + line : line);
    if (fsync) fs.fsyncSync(fd);
  } catch (e) {
    throw asWriteError(e, file);
  } finally {
    fs.closeSync(fd);
  }
}

export interface JsonLines<T> {
  values: T[];
  /** Lines that could not be read, 1-based; a torn last line is the usual case. */
  badLines: { line: number; last: boolean }[];
}

/** Reads a JSON-lines file, keeping every complete line and listing the rest. A missing file reads as empty. */
export function readJsonLines<T>(file: string): JsonLines<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { values: [], badLines: [] };
    throw e;
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const result: JsonLines<T> = { values: [], badLines: [] };
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      result.values.push(JSON.parse(line) as T);
    } catch {
      result.badLines.push({ line: i + 1, last: i === lines.length - 1 });
    }
  });
  return result;
}

/** Reads and parses a JSON file; undefined when it does not exist. Throws on anything else (unreadable, invalid). */
export function readJsonIfExists<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
