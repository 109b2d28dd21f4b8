/**
 * Where an experiment's results go. The config's name is validated as a single folder name
 * (schema pattern and semantic.ts), and this checks it once more where the path is made, so
 * that no write can land outside the output folder whatever the caller passes.
 */
import * as path from 'node:path';

/** Where results go when neither the config's outputDir nor a setting names a folder (the schema's default). */
export const DEFAULT_RESULTS_ROOT = '.losslab/runs';

export class UnsafePathError extends Error {
  override readonly name = 'UnsafePathError';
}

/** `<outputDir>/<name>`, absolute; throws UnsafePathError when `name` is not one folder directly inside `outputDir`. */
export function experimentDirOf(outputDir: string, name: string): string {
  const root = path.resolve(outputDir);
  const dir = path.resolve(root, name);
  if (name === '' || /[/\\]/.test(name) || path.dirname(dir) !== root || path.basename(dir) !== name) {
    throw new UnsafePathError(`experiment name '${name}' is not a single folder name inside '${root}' (allowed: letters, digits, '.', '_' and '-' only, not dots alone)`);
  }
  return dir;
}
