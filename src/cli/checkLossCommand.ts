import * as path from 'node:path';
import { formatCheckResults } from '../core/losses/checkResults';
import { askModuleHost, moduleHostPathOf } from '../host/moduleHost';
import { UsageError } from './errors';

/** `--options '{"gamma": 2}'`: a JSON object, or a usage error that says so. */
function parseLossOptions(text: string | undefined): Record<string, unknown> {
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
 * `losslab check-loss <module> [--options JSON] [--json]`: the checks of core/losses/checkLoss.ts on the CPU backend, run in the
 * module host's process under its time limit, one line each (or the results as JSON, which the extension's Check Loss reads).
 * Exit code 1 when one failed.
 */
export async function checkLossCommand(module: string, o: { options?: string; json?: boolean }, workerPath: string): Promise<number> {
  const options = parseLossOptions(o.options);
  const { results } = await askModuleHost({ type: 'check', module: path.resolve(module), options }, { hostPath: moduleHostPathOf(workerPath) });
  process.stdout.write(o.json ? `${JSON.stringify(results)}\n` : `${formatCheckResults(results)}\n`);
  return results.every((r) => r.passed) ? 0 : 1;
}
