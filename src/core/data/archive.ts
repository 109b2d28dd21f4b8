/**
 * Extracting the downloaded archives: `tar` (npm, isaacs) for .tar.gz and
 * `yauzl` for .zip; both refuse entries that would land outside the target
 * folder. Extraction goes to a temp folder that is renamed into place at the
 * end, so an interrupted extraction never looks like a complete dataset.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import yauzl from 'yauzl';
import { DatasetError } from './errors';

export type ArchiveKind = 'tar.gz' | 'zip';

/** Called with the number of entries written so far and, for zip, the total. */
export type ExtractProgress = (done: number, total?: number) => void;

async function extractTarGz(file: string, cwd: string, onProgress?: ExtractProgress): Promise<void> {
  let done = 0;
  await tar.x({ file, cwd, strict: true, onReadEntry: () => onProgress?.(++done) });
}

function extractZip(file: string, cwd: string, onProgress?: ExtractProgress): Promise<void> {
  const root = resolve(cwd) + sep;
  return new Promise((done, fail) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return fail(err ?? new Error('cannot open'));
      let written = 0;
      zip.on('error', fail);
      zip.on('end', () => done());
      zip.on('entry', (entry: yauzl.Entry) => {
        const target = resolve(cwd, entry.fileName);
        if (!target.startsWith(root)) return fail(new Error(`entry ${entry.fileName} points outside the folder`));
        if (entry.fileName.endsWith('/')) {
          mkdirSync(target, { recursive: true });
          onProgress?.(++written, zip.entryCount);
          return zip.readEntry();
        }
        mkdirSync(dirname(target), { recursive: true });
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(e ?? new Error(`cannot read ${entry.fileName}`));
          pipeline(stream, createWriteStream(target)).then(() => {
            onProgress?.(++written, zip.entryCount);
            zip.readEntry();
          }, fail);
        });
      });
      zip.readEntry();
    });
  });
}

/**
 * Extracts `file` and moves the folder `folder` it contains to `destDir/folder`,
 * replacing an incomplete one. Errors name the archive.
 */
export async function extractArchive(file: string, kind: ArchiveKind, destDir: string, folder: string, onProgress?: ExtractProgress): Promise<string> {
  const temp = join(destDir, `.extract-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(temp, { recursive: true });
  try {
    try {
      await (kind === 'zip' ? extractZip(file, temp, onProgress) : extractTarGz(file, temp, onProgress));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new DatasetError(file, `${file}: truncated or corrupt archive (${why}); delete it and download it again`);
    }
    const extracted = join(temp, folder);
    if (!existsSync(extracted)) throw new DatasetError(file, `${file}: the archive holds no ${folder}/ folder; is it the right file?`);
    const target = join(destDir, folder);
    rmSync(target, { recursive: true, force: true });
    renameSync(extracted, target);
    return target;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
