/**
 * What the curves are coloured and grouped by: the loss setting (the default), the model, the
 * dataset, the seed, or any config field whose value differs between runs (a swept m, the lr…).
 * Each value's place in the palette comes from `colourOrder` alone, from the values in sorted
 * order rather than the order runs arrive in: the same value keeps its colour in every chart, the
 * run list, every panel and the report, and after a reload. Pure, unit-tested.
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

/** Text in one fixed order, with the numbers in it by value ("m=0.5", "m=0.9", "m=10"). */
const byText = new Intl.Collator('en', { numeric: true }).compare;

interface Group {
  label: string;
  raw: string | number | boolean | undefined;
  /** Loss settings: their loss's canonical place (RunView.lossRank); 0 for other fields. */
  rank: number;
}

function compareGroups(a: Group, b: Group): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  const aNum = typeof a.raw === 'number';
  const bNum = typeof b.raw === 'number';
  if (aNum && bNum) return (a.raw as number) - (b.raw as number);
  if (aNum !== bNum) return aNum ? -1 : 1;
  return byText(a.label, b.label);
}

/**
 * Each group's place in the palette, from the groups themselves and never from the order the runs
 * come in: loss settings by their loss's place among the built-in losses (custom ones last), then
 * by label; other fields' numbers ascending, then text. The panel, Compare Experiments, the sweep
 * charts, Figs. 2–3 and the report all colour by this.
 */
export function colourOrder(runs: readonly RunView[], key: string): Map<string, number> {
  const groups = new Map<string, Group>();
  for (const r of runs) {
    const label = colourValue(r, key);
    if (!groups.has(label)) groups.set(label, { label, raw: rawValue(r, key), rank: key === DEFAULT_COLOUR_BY ? (r.lossRank ?? Number.MAX_SAFE_INTEGER) : 0 });
  }
  return new Map([...groups.values()].sort(compareGroups).map((g, i) => [g.label, i]));
}
