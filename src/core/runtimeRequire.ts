// Loading files at run time from beside the running bundle (dist/ in the packaged extension).
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** This module's folder: `__dirname` under CommonJS (tsx, the esbuild bundle), else the working folder. */
export function moduleDir(): string {
  return typeof __dirname === 'string' ? __dirname : process.cwd();
}

/**
 * A `require` that esbuild leaves alone (it only bundles calls of the global `require`
 * with a literal name), for optional packages and files that must be looked up at run time.
 */
export function runtimeRequire(): NodeJS.Require {
  const anchor = typeof __filename === 'string' ? __filename : path.join(process.cwd(), 'index.js');
  return createRequire(anchor);
}
