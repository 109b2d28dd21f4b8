/** Compare Runs' config diff: the config fields whose values differ between the compared runs, side by side. Pure. */
import { shortRunLabels } from '../src/protocol/runText';
import type { RunView } from '../src/protocol/webview';

export interface ConfigDiff {
  /** Column heads: each run's short label (its id in `runIds`, same order). */
  labels: string[];
  runIds: string[];
  /** One row per differing field, in first-seen order; '—' where a run lacks the field. */
  rows: { field: string; values: string[] }[];
  /** Fields with one value in every compared run (not shown). */
  same: number;
}

const MISSING = '—';

export function configDiff(runs: readonly RunView[]): ConfigDiff {
  const labels = shortRunLabels(runs);
  const fields = [...new Set(runs.flatMap((r) => Object.keys(r.config ?? {})))];
  const rows = fields.map((field) => ({ field, values: runs.map((r) => (r.config?.[field] === undefined ? MISSING : String(r.config[field]))) })).filter((row) => new Set(row.values).size > 1);
  // Runs of different experiments can share a short label: the experiment tells them apart.
  const label = (r: RunView) => `${r.experiment ? `${r.experiment}: ` : ''}${labels.get(r.runId) ?? r.runId}`;
  return { labels: runs.map(label), runIds: runs.map((r) => r.runId), rows, same: fields.length - rows.length };
}
