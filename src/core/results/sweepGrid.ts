/**
 * The views of a sweep over two or more fields: one entry per setting (a combination of swept
 * values, for each setting of everything else), its final test accuracy as the mean over seeds.
 * Two fields make a heatmap (one per setting of the rest), three or more parallel coordinates.
 * Runs whose loss lacks a swept field (CE beside a sweep of m) have no place on these axes and
 * are left out. Pure: the panel draws from it.
 */
import type { SweepValue } from '../config/types';
import { mean } from './stats';
import { labelWithout, type SweepRunInput } from './sweepSeries';

export interface SweptField {
  /** `loss:m`, `training:lr`. */
  key: string;
  /** Axis title: `m`, `training.lr`. */
  label: string;
  /** Its values, ascending. */
  values: number[];
}

interface SweepSetting {
  /** The setting of everything not swept, e.g. "Scaled-BN" or "resnet18: Scaled-BN". */
  rest: string;
  /** One value per swept field, in `SweepGrid.fields` order. */
  values: number[];
  /** Mean final test accuracy (%) over its runs (seeds). */
  acc: number;
  n: number;
  runIds: string[];
}

export interface SweepGrid {
  fields: SweptField[];
  settings: SweepSetting[];
  /** Lowest and highest mean accuracy: the ends of the colour scale. */
  accRange: [number, number];
}

const keyOf = (v: Pick<SweepValue, 'scope' | 'field'>) => `${v.scope}:${v.field}`;

/** The fields swept over at least two values, in the order they first appear. */
export function sweptFields(runs: readonly SweepRunInput[]): SweptField[] {
  const fields = new Map<string, { label: string; values: Set<number> }>();
  for (const r of runs) {
    for (const v of r.sweep ?? []) {
      const f = fields.get(keyOf(v)) ?? { label: v.scope === 'training' ? `training.${v.field}` : v.field, values: new Set<number>() };
      f.values.add(v.value);
      fields.set(keyOf(v), f);
    }
  }
  return [...fields.entries()].filter(([, f]) => f.values.size >= 2).map(([key, f]) => ({ key, label: f.label, values: [...f.values].sort((a, b) => a - b) }));
}

/** The grid of a sweep over two or more fields; undefined with fewer. */
export function sweepGrid(runs: readonly SweepRunInput[]): SweepGrid | undefined {
  const fields = sweptFields(runs);
  if (fields.length < 2) return undefined;
  const places = new Set(runs.map((r) => JSON.stringify([r.modelLabel ?? '', r.datasetLabel ?? ''])));
  const settings = new Map<string, { rest: string; values: number[]; runs: SweepRunInput[] }>();
  for (const r of runs) {
    if (r.acc === undefined || !Number.isFinite(r.acc)) continue;
    const swept = fields.map((f) => r.sweep?.find((v) => keyOf(v) === f.key));
    if (swept.some((v) => v === undefined)) continue;
    const label = (swept as SweepValue[]).reduce((l, v) => labelWithout(l, v), r.lossLabel);
    const rest = (places.size > 1 ? `${r.modelLabel ?? ''}${r.datasetLabel ? ` (${r.datasetLabel})` : ''}: ` : '') + label;
    const values = swept.map((v) => v!.value);
    const key = JSON.stringify([rest, values]);
    const setting = settings.get(key) ?? { rest, values, runs: [] };
    setting.runs.push(r);
    settings.set(key, setting);
  }
  const list = [...settings.values()].map((s) => ({ rest: s.rest, values: s.values, acc: mean(s.runs.map((r) => r.acc!)), n: s.runs.length, runIds: s.runs.map((r) => r.runId) }));
  const accs = list.map((s) => s.acc);
  return { fields, settings: list, accRange: accs.length ? [Math.min(...accs), Math.max(...accs)] : [0, 0] };
}

interface HeatmapCell {
  /** Column (first field) and row (second field) index. */
  col: number;
  row: number;
  acc: number;
  n: number;
}

export interface Heatmap {
  rest: string;
  x: SweptField;
  y: SweptField;
  cells: HeatmapCell[];
}

/** One heatmap per setting of the rest, for a sweep over exactly two fields; none otherwise. */
export function heatmaps(grid: SweepGrid | undefined): Heatmap[] {
  if (!grid || grid.fields.length !== 2) return [];
  const [x, y] = grid.fields;
  const byRest = new Map<string, HeatmapCell[]>();
  for (const s of grid.settings) {
    const cells = byRest.get(s.rest) ?? [];
    cells.push({ col: x.values.indexOf(s.values[0]), row: y.values.indexOf(s.values[1]), acc: s.acc, n: s.n });
    byRest.set(s.rest, cells);
  }
  return [...byRest.entries()].map(([rest, cells]) => ({ rest, x, y, cells }));
}

/** Where `value` sits in [lo, hi], as 0…1 (0.5 when the range is a point). */
export function unitPosition(value: number, lo: number, hi: number): number {
  return hi > lo ? (value - lo) / (hi - lo) : 0.5;
}
