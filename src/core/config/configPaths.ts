/**
 * The one resolver of the paths a config names, used by the CLI and the extension alike: dataset.path,
 * dataset.testPath, a custom loss's module and an outputDir the file itself writes are relative to the config file's folder
 * (so a config means the same wherever it is run from), `~/` is the home folder, absolute paths stay.
 * An outputDir the file does not write (validation filled in the default) is left to the caller:
 * the CLI puts results under its working folder, the extension under lossLab.resultsFolder.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, ConfigFileError, type ConfigProblem } from './configError';
import { missingPathProblems } from './pathProblems';
import type { ExperimentConfig } from './types';
import { locateProblems, parseConfigText } from './validate';

/** One path as the config file at `configFile` means it. */
export function resolveConfigPath(value: string, configFile: string): string {
  if (value === '~' || value.startsWith('~/') || value.startsWith('~\\')) return path.join(homedir(), value.slice(1));
  return path.resolve(path.dirname(path.resolve(configFile)), value);
}

/** The outputDir the text itself writes, before validation fills in the default; undefined when none (or not JSON). */
function writtenOutputDir(text: string): string | undefined {
  try {
    const raw = JSON.parse(text.replace(/^\uFEFF/, '')) as { outputDir?: unknown };
    return typeof raw?.outputDir === 'string' ? raw.outputDir : undefined;
  } catch {
    return undefined;
  }
}

/** A copy of `config` with its paths resolved against `configFile`; `outputDir` only when the file wrote it. */
export function resolveConfigPaths(config: ExperimentConfig, configFile: string, outputDirWritten: boolean): ExperimentConfig {
  const dataset = { ...config.dataset };
  if (dataset.path) dataset.path = resolveConfigPath(dataset.path, configFile);
  if (dataset.testPath) dataset.testPath = resolveConfigPath(dataset.testPath, configFile);
  const outputDir = outputDirWritten && config.outputDir ? resolveConfigPath(config.outputDir, configFile) : config.outputDir;
  // A custom loss's module (core/losses/customModule.ts) is relative to the config file too.
  const loss = <T extends { name: string }>(l: T): T => {
    const module = l.name === 'custom' ? (l as { module?: unknown }).module : undefined;
    return typeof module === 'string' ? { ...l, module: resolveConfigPath(module, configFile) } : l;
  };
  const losses = config.losses.map(loss);
  const baseline = config.baseline && loss(config.baseline);
  return { ...config, dataset, losses, ...(baseline === undefined ? {} : { baseline }), ...(outputDir === undefined ? {} : { outputDir }) };
}

export interface LoadedConfig {
  /** Validated, with defaults, and with its paths resolved against the file. */
  config: ExperimentConfig;
  /** The outputDir the file writes, resolved; undefined when it writes none. */
  outputDir?: string;
}

export interface LoadOptions {
  /** Report paths the file writes that do not exist (default true; `losslab reproduce --data` replaces the preset's). */
  checkPaths?: boolean;
}

/**
 * Validates a config file's text as Run does: schema, semantic checks and the paths it writes. Throws ConfigError
 * listing every problem with its place in the text: the same list the editor shows while typing and the CLI prints.
 */
function parseConfigFile(text: string, configFile: string, opts: LoadOptions = {}): LoadedConfig {
  let config: ExperimentConfig | undefined;
  const problems: ConfigProblem[] = [];
  try {
    config = parseConfigText(text, configFile);
  } catch (e) {
    if (!(e instanceof ConfigError) || e.problems.some((p) => p.syntax)) throw e;
    problems.push(...e.problems);
  }
  if (opts.checkPaths !== false) {
    const raw: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    problems.push(
      ...locateProblems(
        text,
        missingPathProblems(raw, (value) => resolveConfigPath(value, configFile)),
      ),
    );
  }
  if (!config || problems.length > 0) throw new ConfigError(configFile, problems);
  const written = writtenOutputDir(text) !== undefined;
  const resolved = resolveConfigPaths(config, configFile, written);
  return { config: resolved, ...(written ? { outputDir: resolved.outputDir } : {}) };
}

/** Every problem `parseConfigFile` would throw for this text, located; [] when it would run. */
export function configFileProblems(text: string, configFile: string): ConfigProblem[] {
  try {
    parseConfigFile(text, configFile);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

/** Reads, validates and resolves a config file: what `losslab run` and Run Experiment both start from. */
export async function loadConfigWithPaths(configFile: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch (e) {
    // Reading a folder fails without naming it (EISDIR on a descriptor).
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new ConfigFileError(configFile, 'is a folder, not a config file (give the path of a *.losslab.json file)');
    throw e;
  }
  return parseConfigFile(text, configFile, opts);
}
