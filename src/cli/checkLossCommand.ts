import * as path from 'node:path';
import { skipCpuBanner } from '../core/backend/cpuBanner';
import { selectBackend } from '../core/backend/selectBackend';
import { checkLoss, formatCheckResults } from '../core/losses/checkLoss';
import { loadCustomLoss } from '../core/losses/customModule';
import { UsageError } from './errors';

/** `--options '{"gamma": 2}'`: a JSON object, or a usage error that says so. */
export function parseLossOptions(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--options is not JSON: ${(e as Error).message}`, 'losslab check-loss');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('--options must be a JSON object, e.g. \'{"gamma": 2}\'', 'losslab check-loss');
  return value as Record<string, unknown>;
}

/**
 * `losslab check-loss <module> [--options JSON] [--json]`: the checks of core/losses/checkLoss.ts on the CPU backend,
 * one line each (or the results as JSON, which the extension's Check Loss reads). Exit code 1 when one failed.
 */
export async function checkLossCommand(module: string, o: { options?: string; json?: boolean }): Promise<number> {
  const options = parseLossOptions(o.options);
  await selectBackend('cpu');
  // The checks' output is the command's; tfjs's tfjs-node advice is no news here.
  skipCpuBanner();
  const results = checkLoss(path.resolve(module), options);
  process.stdout.write(o.json ? `${JSON.stringify(results)}\n` : `${formatCheckResults(results)}\n`);
  return results.every((r) => r.passed) ? 0 : 1;
}

/** `losslab loss-options-schema <module>`: the module's optionsSchema as JSON (`null` without one); the editor's completion reads it. */
export function lossOptionsSchemaCommand(module: string): number {
  process.stdout.write(`${JSON.stringify(loadCustomLoss(path.resolve(module)).optionsSchema ?? null)}\n`);
  return 0;
}
