/**
 * Step points of run folders, parsed again only when a file changed. The results panel reads
 * its experiment again on every status change; a big grid's steps.jsonl files (about 20 lines
 * per epoch per run) would be most of that work, and only the running runs' files change.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSteps } from './runReader';
import { RUN_FILES, type StepPoint } from './types';

interface Entry {
  /** The file's identity and version: a rewrite (rename over it) changes the inode, an append the size and time. */
  key: string;
  steps: StepPoint[];
  warnings: string[];
}

export class StepsCache {
  private readonly entries = new Map<string, Entry>();

  /** Same contract as readSteps: the run's points, its warnings appended to `warnings`. */
  readonly read = (dir: string, warnings: string[]): StepPoint[] => {
    const key = fileKey(path.join(dir, RUN_FILES.steps));
    let entry = this.entries.get(dir);
    if (!entry || entry.key !== key) {
      const found: string[] = [];
      entry = { key, steps: readSteps(dir, found), warnings: found };
      this.entries.set(dir, entry);
    }
    warnings.push(...entry.warnings);
    return entry.steps;
  };

  clear(): void {
    this.entries.clear();
  }
}

function fileKey(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'none'; // missing or unreadable: readSteps says which
  }
}
