// Where the tfjs-backend-wasm `.wasm` binaries are, for `setWasmPaths`.
//
// In Node the backend would look next to its own JS file, which inside an esbuild bundle is
// the bundle's folder, so the location is set explicitly. Candidates, in order: an override
// for odd installs, the bundle's `wasm/` folder (the build copies the binaries there), and
// the package in node_modules (running from source, tests).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { moduleDir, runtimeRequire } from '../runtimeRequire';

export const WASM_DIR_ENV = 'LOSSLAB_WASM_DIR';

/** The plain build; the SIMD and threaded builds sit beside it in every layout we ship. */
const PROBE_FILE = 'tfjs-backend-wasm.wasm';

export interface WasmDirSearch {
  /** Folder with a trailing separator (the backend appends file names to it), or undefined. */
  dir?: string;
  /** Folders looked at and passed over, with why, for error messages. */
  rejected: string[];
}

export function findWasmDir(env: NodeJS.ProcessEnv = process.env): WasmDirSearch {
  const candidates: string[] = [];
  const fromEnv = env[WASM_DIR_ENV];
  if (fromEnv) candidates.push(fromEnv);
  candidates.push(path.join(moduleDir(), 'wasm'));
  try {
    const pkgJson = runtimeRequire().resolve('@tensorflow/tfjs-backend-wasm/package.json');
    candidates.push(path.join(path.dirname(pkgJson), 'dist'));
  } catch {
    // Not resolvable from here (a bundle shipped without node_modules): the other candidates decide.
  }
  const rejected: string[] = [];
  for (const candidate of candidates) {
    if (existsSync(path.join(candidate, PROBE_FILE))) {
      const dir = candidate.endsWith('/') || candidate.endsWith(path.sep) ? candidate : candidate + path.sep;
      return { dir, rejected };
    }
    rejected.push(`${candidate} (no ${PROBE_FILE})`);
  }
  return { rejected };
}
