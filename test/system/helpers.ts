import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expandGrid } from '../../src/core/config/grid';
import { validateConfig } from '../../src/core/config/validate';
import type { RunSpec } from '../../src/core/config/types';

/** System tests drive the built worker bundle, exactly as the CLI and the extension do. */
export const WORKER = path.resolve('dist/worker.js');
export const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

export function requireBuild(): void {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run 'npm run build' first`);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function gridOf(config: unknown): RunSpec[] {
  return expandGrid(validateConfig(config, 'test config'));
}
