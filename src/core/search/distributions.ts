/**
 * What a hyperparameter search may draw a numeric field from, as written in a config:
 * `{ "log": [1e-3, 1] }` (log-uniform, for scales such as a learning rate), `{ "uniform": [a, b] }`,
 * `{ "int": [a, b] }` (both ends included), or a list of values to choose from.
 */
import type { Rng } from '../util/rng';

export type Distribution = { log: [number, number] } | { uniform: [number, number] } | { int: [number, number] } | number[];

const DISTRIBUTION_KINDS = ['log', 'uniform', 'int'] as const;

/** An object with exactly one of the distribution keys: how a config marks a field as searched rather than fixed or swept. */
export function isDistributionObject(v: unknown): v is Exclude<Distribution, number[]> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (DISTRIBUTION_KINDS as readonly string[]).includes(keys[0]);
}

/** What is wrong with a distribution as written, in words for a config message; undefined when it is sound. */
export function distributionProblem(d: Distribution): string | undefined {
  if (Array.isArray(d)) {
    if (d.length === 0) return 'a list to choose from needs at least one value';
    return d.every((x) => typeof x === 'number' && Number.isFinite(x)) ? undefined : 'a list to choose from holds numbers only';
  }
  const [kind, bounds] = Object.entries(d)[0] as [keyof typeof d, unknown];
  if (!Array.isArray(bounds) || bounds.length !== 2 || !bounds.every((x) => typeof x === 'number' && Number.isFinite(x))) return `"${kind}" takes two numbers, [low, high]`;
  const [low, high] = bounds as [number, number];
  if (!(low < high)) return `"${kind}" needs low < high, got [${low}, ${high}]`;
  if (kind === 'log' && !(low > 0)) return `"log" needs positive bounds, got [${low}, ${high}]`;
  if (kind === 'int' && !(Number.isInteger(low) && Number.isInteger(high))) return `"int" needs integer bounds, got [${low}, ${high}]`;
  return undefined;
}

/**
 * Sampled values keep three significant digits: finer differences in a hyperparameter do not
 * change a result, and short values keep run ids and table rows readable.
 */
export function roundSignificant(x: number, digits = 3): number {
  return x === 0 ? 0 : Number(x.toPrecision(digits));
}

/** One draw from `d`; a rounded draw never leaves [low, high]. */
export function sample(d: Distribution, rng: Rng): number {
  if (Array.isArray(d)) return d[rng.int(d.length)];
  if ('int' in d) return d.int[0] + rng.int(d.int[1] - d.int[0] + 1);
  const [low, high] = 'log' in d ? d.log : d.uniform;
  const raw = 'log' in d ? Math.exp(rng.uniform(Math.log(low), Math.log(high))) : rng.uniform(low, high);
  return Math.min(high, Math.max(low, roundSignificant(raw)));
}
