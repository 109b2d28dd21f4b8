/**
 * Sweeps: a numeric field of a loss or of training written as a list (`"lr": [0.05, 0.1]`)
 * or a range (`"m": { "from": 0.5, "to": 1.2, "step": 0.1 }`). The grid runs every
 * combination; these helpers expand one config entry into its plain settings.
 */
import { lossDescriptor } from '../losses/registry';
import type { LossConfig, LossSweep, NumberRange, Sweepable, SweepValue, TrainingConfig, TrainingSweep } from './types';

/** Most values one field may sweep: a typo in a step (0.001 for 0.1) should not queue thousands of runs. */
export const MAX_SWEEP_VALUES = 1000;

/** Training fields that may be swept (the numeric ones at the top level of `training`). */
const SWEEPABLE_TRAINING_FIELDS = ['epochs', 'batchSize', 'lr', 'momentum', 'weightDecay', 'gamma', 'logEvery'] as const;

export function isRange(v: unknown): v is NumberRange {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'from' in v && 'to' in v && 'step' in v;
}

/** Whether a loss field holds a sweep: a list option of its descriptor (focal's per-class `alpha`) is not one. */
export function isLossSweepField(lossName: unknown, field: string, value: unknown): boolean {
  const listOptions: readonly string[] = (typeof lossName === 'string' && lossDescriptor(lossName)?.listOptions) || [];
  if (field === 'name' || field === 'options' || listOptions.includes(field)) return false;
  return Array.isArray(value) || isRange(value);
}

export function isTrainingSweepField(field: string, value: unknown): boolean {
  return (SWEEPABLE_TRAINING_FIELDS as readonly string[]).includes(field) && (Array.isArray(value) || isRange(value));
}

/** Digits after the decimal point of a number as JavaScript writes it (1e-5 → 5, 0.25 → 2). */
export function decimals(x: number): number {
  const [mantissa, exponent] = String(x).toLowerCase().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/** Number of values a range yields (0 when it is empty or malformed); `to` counts when it lands on a step. */
export function rangeLength(r: NumberRange): number {
  if (!(r.step > 0) || !(r.to >= r.from) || ![r.from, r.to, r.step].every(Number.isFinite)) return 0;
  return Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
}

/**
 * from, from + step, … up to `to`; each value computed as from + i·step and rounded to the
 * decimals of step and from, so 0.5..1.2 step 0.1 gives 0.7, not 0.7000000000000001.
 * Capped at MAX_SWEEP_VALUES + 1 values (validation reports a longer range).
 */
export function rangeValues(r: NumberRange): number[] {
  const n = Math.min(rangeLength(r), MAX_SWEEP_VALUES + 1);
  const digits = Math.min(15, Math.max(decimals(r.step), decimals(r.from)));
  return Array.from({ length: n }, (_, i) => Number((r.from + i * r.step).toFixed(digits)));
}

/** The values of a field as written: one number, a list, or a range. */
export function sweepValues(v: Sweepable): number[] {
  if (Array.isArray(v)) return [...v];
  if (isRange(v)) return rangeValues(v);
  return [v];
}

/** Every combination of the listed fields' values, the first field outermost. */
function combinations(fields: [string, number[]][]): [string, number][][] {
  return fields.reduce<[string, number][][]>((acc, [field, values]) => acc.flatMap((combo) => values.map((value) => [...combo, [field, value] as [string, number]])), [[]]);
}

export interface Expanded<T> {
  value: T;
  /** The swept fields' values in this setting; empty when nothing is swept. */
  sweep: SweepValue[];
}

/** Each plain loss a loss entry stands for, in order (the first swept field outermost). */
export function expandLoss(loss: LossSweep): Expanded<LossConfig>[] {
  const entries = Object.entries(loss) as [string, unknown][];
  const swept = entries.filter(([field, value]) => isLossSweepField(loss.name, field, value)).map(([field, value]): [string, number[]] => [field, sweepValues(value as Sweepable)]);
  return combinations(swept).map((combo) => ({
    value: { ...structuredClone(loss), ...Object.fromEntries(combo) } as LossConfig,
    sweep: combo.map(([field, value]) => ({ scope: 'loss', field, value })),
  }));
}

/** Each plain training setting the config's training stands for. */
export function expandTraining(training: TrainingSweep): Expanded<TrainingConfig>[] {
  const swept = SWEEPABLE_TRAINING_FIELDS.filter((field) => isTrainingSweepField(field, training[field])).map((field): [string, number[]] => [field, sweepValues(training[field] as Sweepable)]);
  return combinations(swept).map((combo) => ({
    value: { ...structuredClone(training), ...Object.fromEntries(combo) } as TrainingConfig,
    sweep: combo.map(([field, value]) => ({ scope: 'training', field, value })),
  }));
}

/** The swept loss fields of a sweep (to show them in labels even at their default). */
export const sweptFields = (sweep: readonly SweepValue[], scope: SweepValue['scope']): Set<string> => new Set(sweep.filter((s) => s.scope === scope).map((s) => s.field));

/** Folder-safe id fragment of the swept training values: `-lr0.1-batchSize64`; empty when none. */
export function trainingSweepKey(sweep: readonly SweepValue[]): string {
  return sweep
    .filter((s) => s.scope === 'training')
    .map((s) => `-${s.field}${s.value}`)
    .join('');
}

/** Label fragment of the swept training values: ` · lr=0.1 · batchSize=64`; empty when none. */
export function trainingSweepLabel(sweep: readonly SweepValue[]): string {
  return sweep
    .filter((s) => s.scope === 'training')
    .map((s) => ` · ${s.field}=${s.value}`)
    .join('');
}
