/**
 * What the curves are coloured and grouped by: the loss setting (the default), the model, the
 * dataset, the seed, or any config field whose value differs between runs (a swept m, the lr…).
 * Each value's place in the palette comes from `colourOrder` alone, from the values in sorted
 * order rather than the order runs arrive in: the same value keeps its colour in every chart, the
 * run list and after a reload. Pure, unit-tested.
 */
import type { RunView } from '../src/protocol/webview';

export const DEFAULT_COLOUR_BY = 'loss';

/** The fields every run has, before its config's. */
const RUN_FIELDS: Record<string, { label: string; value: (r: RunView) => string | number }> = {
  loss: { label: 'loss setting', value: (r) => r.lossLabel },
  model: { label: 'model', value: (r) => r.modelLabel },
  dataset: { label: 'dataset', value: (r) => r.datasetLabel },
  seed: { label: 'seed', value: (r) => r.seed },
};

const CONFIG = 'config:';

export interface ColourField {
  key: string;
  label: string;
}

function rawValue(run: RunView, key: string): string | number | boolean | undefined {
  if (key.startsWith(CONFIG)) return run.config?.[key.slice(CONFIG.length)];
  return (RUN_FIELDS[key] ?? RUN_FIELDS[DEFAULT_COLOUR_BY]).value(run);
}

/** A run's group under `key`, as the legend shows it ("lr=0.1"; "—" where its config lacks the field). */
export function colourValue(run: RunView, key: string): string {
  const v = rawValue(run, key);
  if (!key.startsWith(CONFIG)) return key === 'seed' ? `seed ${v}` : String(v);
  return `${key.slice(CONFIG.length)}=${v === undefined ? '—' : String(v)}`;
}

/** The loss setting always; the other fields where the runs differ, config fields by name. */
export function colourFields(runs: readonly RunView[]): ColourField[] {
  const differs = (key: string) => new Set(runs.map((r) => JSON.stringify(rawValue(r, key) ?? null))).size > 1;
  const fixed = Object.entries(RUN_FIELDS)
    .filter(([key]) => key === DEFAULT_COLOUR_BY || differs(key))
    .map(([key, f]) => ({ key, label: f.label }));
  const configKeys = [...new Set(runs.flatMap((r) => Object.keys(r.config ?? {})))].sort();
  return [...fixed, ...configKeys.filter((k) => differs(CONFIG + k)).map((k) => ({ key: CONFIG + k, label: k }))];
}

/** Each group's place in the palette: numbers ascending, then text in the runs' order. */
export function colourOrder(runs: readonly RunView[], key: string): Map<string, number> {
  const groups = new Map<string, string | number | boolean | undefined>();
  for (const r of runs) if (!groups.has(colourValue(r, key))) groups.set(colourValue(r, key), rawValue(r, key));
  const entries = [...groups.entries()];
  const numeric = entries.filter(([, v]) => typeof v === 'number').sort((a, b) => (a[1] as number) - (b[1] as number));
  const rest = entries.filter(([, v]) => typeof v !== 'number');
  return new Map([...numeric, ...rest].map(([label], i) => [label, i]));
}
