/**
 * What the run table and Compare Runs show of a run beyond its state: its config flattened
 * into fields, best accuracy, wall time and backend, from config.json, summary.json,
 * status.json and metrics.jsonl. Those files are read unvalidated (an older version, a hand
 * edit), so only well-formed values are kept. No vscode here.
 */
import type { RunSpec } from '../core/config/types';
import type { RunRecord } from '../core/results/runReader';
import type { ConfigValue, RunView } from '../protocol/webview';

/** Fields of a RunSpec that name or describe the run rather than configure it (the table has them as columns of their own). */
const NOT_CONFIG = new Set(['experiment', 'runId', 'modelLabel', 'lossLabel', 'sweep', 'search']);
/** Deeper than any RunSpec field: a guard against a strange config.json, not a limit anyone meets. */
const MAX_DEPTH = 4;

const isScalar = (v: unknown): v is ConfigValue => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * The run's config as dotted fields ("loss.m": 0.9, "training.lr": 0.1, "training.milestones": "2, 4"),
 * in the file's order. Lists of scalars are joined; other values (null, lists of objects) are left out.
 */
export function flattenConfig(spec: unknown): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  const visit = (value: unknown, key: string, depth: number) => {
    if (isScalar(value)) out[key] = value;
    else if (Array.isArray(value)) {
      if (value.every(isScalar)) out[key] = value.join(', ');
    } else if (typeof value === 'object' && value !== null && depth < MAX_DEPTH) {
      for (const [k, v] of Object.entries(value)) visit(v, key ? `${key}.${k}` : k, depth + 1);
    }
  };
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
    for (const [k, v] of Object.entries(spec)) if (!NOT_CONFIG.has(k)) visit(v, k, 1);
  }
  return out;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export type RunDetails = Pick<RunView, 'config' | 'bestAcc' | 'wallSeconds' | 'backend'>;

/** A run folder's details; each is absent when no file has it. */
export function runDetails(record: RunRecord): RunDetails {
  const { summary, status, metrics } = record;
  const accs = metrics.map((m) => m.testAcc).filter(finite);
  const best = finite(summary?.bestTestAcc) ? summary.bestTestAcc : accs.length > 0 ? Math.max(...accs) : undefined;
  const epochSeconds = metrics.map((m) => m.seconds).filter(finite);
  const wall = finite(summary?.wallSeconds) ? summary.wallSeconds : epochSeconds.length > 0 ? epochSeconds.reduce((a, b) => a + b, 0) : undefined;
  const backend = [summary?.backend, status?.backend, record.spec?.backend].find(text);
  return { ...specDetails(record.spec), ...(best !== undefined ? { bestAcc: best } : {}), ...(wall !== undefined ? { wallSeconds: wall } : {}), ...(backend ? { backend } : {}) };
}

/** What a run's spec alone gives (a grid run without a folder yet). */
export function specDetails(spec: RunSpec | undefined): RunDetails {
  if (!spec) return {};
  const config = flattenConfig(spec);
  return { ...(Object.keys(config).length > 0 ? { config } : {}), ...(text(spec.backend) ? { backend: spec.backend } : {}) };
}
