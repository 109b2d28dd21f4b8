/**
 * Checks of sweeps the schema cannot express: an empty list, a range whose step is not
 * positive or whose `from` is after `to`, too many values, and every value a list or range
 * yields checked against the field's own bounds (the schema's bounds apply to single numbers only).
 */
import schema from '../../../schemas/experiment.schema.json';
import type { ConfigProblem } from './configError';
import { describeAllowed } from './schemaProblems';
import { MAX_SWEEP_VALUES, isLossSweepField, isRange, isTrainingSweepField, rangeLength, rangeValues } from './sweep';

type Schema = Record<string, unknown>;

const root = schema as unknown as Schema;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A field's schema with its `$ref` followed and the keywords beside it (the bounds) kept. */
function scalarSchema(node: unknown): Schema {
  if (!isObject(node)) return {};
  if (typeof node.$ref !== 'string') return node;
  const { $ref, ...siblings } = node;
  const target = $ref.replace('#/definitions/', '');
  const resolved = scalarSchema((root.definitions as Schema)[target]);
  const types = Array.isArray(resolved.type) ? (resolved.type as string[]) : [];
  const type = types.includes('integer') ? 'integer' : types.includes('number') ? 'number' : resolved.type;
  return { ...resolved, ...siblings, type };
}

function lossFieldSchema(name: string, field: string): Schema {
  const loss = (root.definitions as Schema).loss as { allOf: { if: { properties: { name: { const: string } } }; then: { properties: Schema } }[] };
  const branch = loss.allOf.find((b) => b.if.properties.name.const === name);
  return scalarSchema(branch?.then.properties[field]);
}

function trainingFieldSchema(field: string): Schema {
  const training = (root.properties as Schema).training as { properties: Schema };
  return scalarSchema(training.properties[field]);
}

/** Why `value` is outside the scalar schema's bounds, or undefined when it is within (integer types: the schema's `items` and range fields check them). */
function outOfBounds(value: number, s: Schema): string | undefined {
  if (isNumber(s.minimum) && value < s.minimum) return 'is too small';
  if (isNumber(s.exclusiveMinimum) && value <= s.exclusiveMinimum) return 'is too small';
  if (isNumber(s.maximum) && value > s.maximum) return 'is too large';
  if (isNumber(s.exclusiveMaximum) && value >= s.exclusiveMaximum) return 'is too large';
  return undefined;
}

/** Problems of one swept field (`value` a list or a range); `name` is how messages name it, e.g. `m` or `training.lr`. */
function sweepFieldProblems(value: unknown, path: string, name: string, scalar: Schema): ConfigProblem[] {
  const allowed = describeAllowed(scalar, root, true);
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ path, message: `${name}: empty list (allowed: at least one value, or a single number)` }];
    const problems: ConfigProblem[] = [];
    value.forEach((v: unknown, i) => {
      if (!isNumber(v)) return; // the schema reports the type
      const why = outOfBounds(v, scalar);
      if (why) problems.push({ path: `${path}/${i}`, message: `${name} = ${v} in the list ${why} (allowed: ${allowed})` });
      else if (value.indexOf(v) < i) problems.push({ path: `${path}/${i}`, message: `${name} = ${v} is listed twice; it would run the same runs twice` });
    });
    return problems;
  }
  if (!isRange(value)) return [];
  const { from, to, step } = value;
  if (![from, to, step].every(isNumber)) return []; // the schema reports the type
  if (step <= 0) return [{ path: `${path}/step`, message: `${name}: step ${step} of the range is not positive (allowed: step > 0)` }];
  if (from > to) return [{ path, message: `${name}: the range from ${from} to ${to} is empty, from is greater than to (allowed: from ≤ to)` }];
  const count = rangeLength(value);
  if (count > MAX_SWEEP_VALUES) {
    return [{ path: `${path}/step`, message: `${name}: the range from ${from} to ${to} step ${step} has ${count} values (allowed: at most ${MAX_SWEEP_VALUES}; a larger step)` }];
  }
  const bad = rangeValues(value).filter((v) => outOfBounds(v, scalar) !== undefined);
  if (bad.length === 0) return [];
  const shown = bad.length > 4 ? `${bad.slice(0, 4).join(', ')}, …` : bad.join(', ');
  return [{ path, message: `${name}: the range from ${from} to ${to} step ${step} yields ${bad.length === 1 ? 'a value' : 'values'} outside the field's bounds (${shown}) (allowed: ${allowed})` }];
}

/**
 * Why a searched field's draws could leave the field's own bounds (the schema's bounds apply to a
 * single number only): `values` are a distribution's ends or a list's values; `lossName` for a loss
 * field, none for a training field. Undefined when every draw is allowed.
 */
export function searchedValuesProblem(values: readonly number[], field: string, lossName?: string): string | undefined {
  const scalar = lossName ? lossFieldSchema(lossName, field) : trainingFieldSchema(field);
  const bad = values.find((v) => outOfBounds(v, scalar) !== undefined);
  return bad === undefined ? undefined : `${bad}, which ${outOfBounds(bad, scalar)} for this field (allowed: ${describeAllowed(scalar, root, true)})`;
}

/** Problems of every sweep in the config's losses and training. */
export function sweepProblems(cfg: Schema): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (Array.isArray(cfg.losses)) {
    cfg.losses.forEach((loss: unknown, i) => {
      if (!isObject(loss) || typeof loss.name !== 'string') return;
      for (const [field, value] of Object.entries(loss)) {
        if (!isLossSweepField(loss.name, field, value)) continue;
        problems.push(...sweepFieldProblems(value, `/losses/${i}/${field}`, field, lossFieldSchema(loss.name, field)));
      }
    });
  }
  if (isObject(cfg.training)) {
    for (const [field, value] of Object.entries(cfg.training)) {
      if (isTrainingSweepField(field, value)) problems.push(...sweepFieldProblems(value, `/training/${field}`, `training.${field}`, trainingFieldSchema(field)));
    }
  }
  if (isObject(cfg.baseline)) {
    const name = cfg.baseline.name;
    const swept = Object.entries(cfg.baseline).filter(([field, value]) => isLossSweepField(name, field, value));
    for (const [field] of swept) problems.push({ path: `/baseline/${field}`, message: `the baseline is one loss: ${field} takes one value here (allowed: a number; sweep it in losses)` });
  }
  return problems;
}
