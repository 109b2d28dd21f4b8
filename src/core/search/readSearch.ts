/**
 * Reads an experiment's search.json (record.ts). A folder without one is no search; a damaged
 * one costs the Tuning section only: one line in `warnings`, and everything else reads as before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandGrid } from '../config/grid';
import type { ExperimentConfig, RunSpec } from '../config/types';
import { parseSearchRecord, SEARCH_FILE, type SearchRecord } from './record';
import { isSearchRecord } from './shape';
import { recordedFinalSpecs } from './space';

export function readSearchRecord(experimentDir: string, warnings: string[]): SearchRecord | undefined {
  const file = path.join(experimentDir, SEARCH_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    warnings.push(`${SEARCH_FILE}: unreadable (${(e as Error).message.split('\n')[0]}); the Tuning section is left out`);
    return undefined;
  }
  const record = parseSearchRecord(text);
  if (record && isSearchRecord(record)) return record;
  warnings.push(`${SEARCH_FILE}: damaged (not a complete version 1 search record); the Tuning section is left out`);
  return undefined;
}

/** Every run the experiment folder may hold: the grid, and for a search the final runs its search.json has chosen. */
export function experimentRunSpecs(cfg: ExperimentConfig, experimentDir: string): RunSpec[] {
  return [...expandGrid(cfg), ...(cfg.search ? recordedFinalSpecs(cfg, readSearchRecord(experimentDir, [])) : [])];
}
