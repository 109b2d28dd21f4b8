/**
 * The sweep charts' data: for each swept field (a loss's `m`, training's `lr`, …) the final
 * test accuracy against the field's value, mean ± std over seeds, one line per setting of
 * everything else (the loss, the other swept values, the model). Runs whose loss has no such
 * field (CE next to a sweep of scaled-BN's m) become flat reference lines. Pure: the results
 * panel and the report draw from it.
 */
import type { SweepValue } from '../config/types';
import { mean, sampleStd } from './stats';

/** What a run contributes: its setting label, its swept values and its final test accuracy (percent). */
export interface SweepRunInput {
  runId: string;
  /** The run's full setting, e.g. "Scaled-BN m=0.8 · lr=0.1" (RunSpec.lossLabel). */
  lossLabel: string;
  modelLabel?: string;
  datasetLabel?: string;
  sweep?: readonly SweepValue[];
  /** Final test accuracy in percent; a run without one is left out. */
  acc?: number;
}

interface SweepPoint {
  x: number;
  mean: number;
  /** Sample std over seeds (n − 1); 0 for one seed. */
  std: number;
  n: number;
  values: number[];
  runIds: string[];
}

export interface SweepLine {
  label: string;
  /** One point per swept value the line has runs for, ascending in x. */
  points: SweepPoint[];
  /** A loss without the swept field: one value for every x (drawn flat across the chart). */
  reference?: Omit<SweepPoint, 'x'>;
}

export interface SweepChart {
  /** `loss:m`, `training:lr`: unique per chart. */
  key: string;
  field: string;
  scope: SweepValue['scope'];
  /** Axis title: `m`, `training.lr`. */
  xLabel: string;
  title: string;
  /** Every swept value of the field, ascending. */
  xs: number[];
  lines: SweepLine[];
}

/** How a loss label writes a field (lossLabel in config/grid.ts): `λ=0.01`, `m=0.9`. */
const LABEL_NAMES: Record<string, string> = { lambda: 'λ', epsilon: 'ε', gamma: 'γ', alpha: 'α', embedDim: 'd' };

/** The setting label without one swept value: "Scaled-BN m=0.8 · lr=0.1" without m → "Scaled-BN · lr=0.1". */
export function labelWithout(label: string, value: SweepValue): string {
  const [loss, ...training] = label.split(' · ');
  if (value.scope === 'training') {
    const fragment = `${value.field}=${value.value}`;
    return [loss, ...training.filter((t) => t !== fragment)].join(' · ');
  }
  const token = ` ${LABEL_NAMES[value.field] ?? value.field}=${value.value}`;
  const at = loss.indexOf(token);
  const rest = at < 0 ? loss : loss.slice(0, at) + loss.slice(at + token.length);
  return [rest, ...training].join(' · ');
}

const keyOf = (v: Pick<SweepValue, 'scope' | 'field'>) => `${v.scope}:${v.field}`;

function point(x: number, runs: readonly SweepRunInput[]): SweepPoint {
  const values = runs.map((r) => r.acc!);
  return { x, mean: mean(values), std: sampleStd(values), n: values.length, values, runIds: runs.map((r) => r.runId) };
}

/** One chart per swept field, in the order the fields first appear; none when nothing is swept. */
export function sweepCharts(runs: readonly SweepRunInput[]): SweepChart[] {
  const scored = runs.filter((r) => r.acc !== undefined && Number.isFinite(r.acc));
  const fields = new Map<string, Pick<SweepValue, 'scope' | 'field'>>();
  for (const r of runs) for (const v of r.sweep ?? []) if (!fields.has(keyOf(v))) fields.set(keyOf(v), { scope: v.scope, field: v.field });
  const places = new Set(runs.map((r) => JSON.stringify([r.modelLabel ?? '', r.datasetLabel ?? ''])));
  const prefix = (r: SweepRunInput) => {
    if (places.size < 2) return '';
    return `${r.modelLabel ?? ''}${r.datasetLabel ? ` (${r.datasetLabel})` : ''}: `;
  };
  return [...fields.entries()].map(([key, { scope, field }]) => {
    const lines = new Map<string, { swept: Map<number, SweepRunInput[]>; flat: SweepRunInput[] }>();
    const xs = new Set<number>();
    for (const r of runs) for (const v of r.sweep ?? []) if (keyOf(v) === key) xs.add(v.value);
    for (const r of scored) {
      const value = r.sweep?.find((v) => keyOf(v) === key);
      const label = prefix(r) + (value ? labelWithout(r.lossLabel, value) : r.lossLabel);
      const line = lines.get(label) ?? { swept: new Map<number, SweepRunInput[]>(), flat: [] as SweepRunInput[] };
      if (value) line.swept.set(value.value, [...(line.swept.get(value.value) ?? []), r]);
      else line.flat.push(r);
      lines.set(label, line);
    }
    const sorted = [...xs].sort((a, b) => a - b);
    return {
      key,
      field,
      scope,
      xLabel: scope === 'training' ? `training.${field}` : field,
      title: `Final test accuracy (%) against ${scope === 'training' ? `training.${field}` : field}, mean ± std over seeds`,
      xs: sorted,
      lines: [...lines.entries()].map(([label, { swept, flat }]): SweepLine => {
        const points = [...swept.entries()].sort(([a], [b]) => a - b).map(([x, group]) => point(x, group));
        if (flat.length === 0 || points.length > 0) return { label, points };
        const { x: _x, ...reference } = point(0, flat);
        return { label, points, reference };
      }),
    };
  });
}
