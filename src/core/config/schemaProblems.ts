/**
 * Turns ajv's errors into one readable problem each. Needs ajv's `verbose`
 * option: the messages quote the offending value (`data`) and list what the
 * schema allows (`parentSchema`).
 */
import type { ErrorObject } from 'ajv';
import { closestMatch, type ConfigProblem } from './configError';
import { pointerSegment } from './jsonLocate';

type Schema = Record<string, unknown>;

/** Follows a local `#/definitions/x` reference (this schema has no other kind); keywords beside the `$ref` (a sweepable field's bounds) win. */
function resolve(schema: unknown, root: Schema): Schema {
  const s = (schema ?? {}) as Schema;
  if (typeof s.$ref !== 'string' || !s.$ref.startsWith('#/')) return s;
  const { $ref, ...siblings } = s;
  const target = $ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], root);
  return { ...resolve(target, root), ...siblings };
}

const fmt = (n: unknown) => String(n);

/** What a schema accepts, in words: "number > 0 and ≤ 100", "fine, coarse", "true or false". */
export function describeAllowed(schemaIn: unknown, root: Schema, scalarOnly = false): string {
  const schema = resolve(schemaIn, root);
  if (Array.isArray(schema.enum)) return schema.enum.map(fmt).join(', ');
  if (schema.type === 'boolean') return 'true or false';
  if (Array.isArray(schema.type) && (schema.type.includes('number') || schema.type.includes('integer'))) {
    // numberOrSweep / integerOrSweep: one value within the bounds, or a sweep of them
    const scalar = schema.type.includes('integer') ? 'integer' : 'number';
    const one = describeAllowed({ ...schema, type: scalar }, root);
    return scalarOnly ? one : `${one}, or a list of them, or a range { from, to, step }`;
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const bounds = [
      schema.minimum !== undefined && `≥ ${fmt(schema.minimum)}`,
      schema.exclusiveMinimum !== undefined && `> ${fmt(schema.exclusiveMinimum)}`,
      schema.maximum !== undefined && `≤ ${fmt(schema.maximum)}`,
      schema.exclusiveMaximum !== undefined && `< ${fmt(schema.exclusiveMaximum)}`,
    ].filter(Boolean);
    return `${schema.type}${bounds.length ? ' ' + bounds.join(' and ') : ''}`;
  }
  if (schema.type === 'array') {
    const items = schema.items === undefined ? '' : ` of ${describeAllowed(schema.items, root)}`;
    return `array${items}`;
  }
  if (typeof schema.patternErrorMessage === 'string') return schema.patternErrorMessage;
  return typeof schema.type === 'string' ? schema.type : 'any JSON value';
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value; // not in JSON
}

interface Branch {
  names: string; // "'image-folder'" or "'mnist' or 'fashion-mnist'"
  owner: Schema; // the schema whose allOf holds the branch, where shared fields are defined
}

const branchIndex = new WeakMap<Schema, WeakMap<object, Branch>>();

/**
 * Maps each `then` of an `if: {name: …}, then: …` branch (the fields of one
 * dataset or loss) to the names it applies to. ajv's error `parentSchema` is the
 * schema object itself, so identity lookups work wherever ajv compiled the branch.
 */
function branches(root: Schema): WeakMap<object, Branch> {
  let index = branchIndex.get(root);
  if (index) return index;
  const found = new WeakMap<object, Branch>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const schema = node as Schema;
    for (const item of Array.isArray(schema.allOf) ? (schema.allOf as Schema[]) : []) {
      const name = ((item.if as Schema | undefined)?.properties as Schema | undefined)?.name as Schema | undefined;
      const values = name?.const !== undefined ? [name.const] : (name?.enum as unknown[] | undefined);
      if (values && typeof item.then === 'object') {
        found.set(item.then as object, { names: values.map((v) => `'${String(v)}'`).join(' or '), owner: schema });
      }
    }
    Object.values(schema).forEach(visit);
  };
  visit(root);
  index = found;
  branchIndex.set(root, index);
  return index;
}

/** A field's schema; a branch lists shared fields as `true`, their definition lives in the owner. */
function fieldSchema(field: string, parent: Schema, root: Schema, owner?: Schema): Schema {
  const own = resolve((parent.properties as Schema | undefined)?.[field], root);
  if (typeof own === 'object' && own.type !== undefined) return own;
  return resolve((owner?.properties as Schema | undefined)?.[field], root);
}

function withHint(word: string, candidates: readonly string[]): string {
  const guess = closestMatch(word, candidates);
  return guess ? `, did you mean '${guess}'?` : '';
}

function toProblem(e: ErrorObject, root: Schema): ConfigProblem | undefined {
  const path = e.instancePath || '/';
  const parent = (e.parentSchema ?? {}) as Schema;
  const allowed = () => describeAllowed(parent, root);
  const branch = branches(root).get(parent);
  const dataName = (e.data as { name?: unknown } | null)?.name;
  const forName = branch ? ` for ${typeof dataName === 'string' ? `'${dataName}'` : branch.names}` : '';
  switch (e.keyword) {
    case 'if':
      return undefined; // the matching branch's own errors say what is wrong
    case 'additionalProperties': {
      const field = String(e.params.additionalProperty);
      const names = Object.keys(parent.properties ?? {});
      const focus = `${e.instancePath}/${pointerSegment(field)}`;
      return { path, focus, message: `unknown field '${field}'${forName}${withHint(field, names)} (allowed: ${names.join(', ')})` };
    }
    case 'required': {
      const field = String(e.params.missingProperty);
      const schemaOfField = fieldSchema(field, parent, root, branch?.owner);
      const examples = Array.isArray(schemaOfField.examples) ? `, e.g. ${fmt(schemaOfField.examples[0])}` : '';
      const sweepable = Array.isArray(resolve(schemaOfField, root).type) && schemaOfField.description !== undefined;
      const what = schemaOfField.type || sweepable ? ` (allowed: ${describeAllowed(schemaOfField, root, true)}${examples})` : '';
      return { path, message: `missing required field '${field}'${forName}${what}` };
    }
    case 'enum':
    case 'const': {
      const values = (e.keyword === 'enum' ? e.params.allowedValues : [e.params.allowedValue]) as unknown[];
      const hint = typeof e.data === 'string' ? withHint(e.data, values.map(fmt)) : '';
      return { path, message: `${JSON.stringify(e.data)} is not allowed${hint} (allowed: ${values.map(fmt).join(', ')})` };
    }
    case 'type':
      return { path, message: `expected ${allowed()}, got ${describeValue(e.data)}` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { path, message: `${fmt(e.data)} is too small (allowed: ${describeAllowed(parent, root, true)})` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { path, message: `${fmt(e.data)} is too large (allowed: ${describeAllowed(parent, root, true)})` };
    case 'minItems':
      return { path, message: `needs at least ${fmt(e.params.limit)} item(s)` };
    case 'minLength':
      return { path, message: e.params.limit === 1 ? 'must not be empty' : `must have at least ${fmt(e.params.limit)} characters` };
    case 'maxLength':
      return { path, message: `is longer than ${fmt(e.params.limit)} characters` };
    case 'pattern': {
      const rule = typeof parent.patternErrorMessage === 'string' ? parent.patternErrorMessage : `pattern ${fmt(e.params.pattern)}`;
      return { path, message: `${JSON.stringify(e.data)} is not allowed (allowed: ${rule})` };
    }
    default:
      return { path, message: e.message ?? `fails '${e.keyword}'` };
  }
}

/** One problem per distinct complaint, in ajv's (schema) order. */
export function problemsFromSchemaErrors(errors: readonly ErrorObject[], root: Schema): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const e of errors) {
    const p = toProblem(e, root);
    const key = p && `${p.path}\n${p.message}`;
    if (!p || !key || seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return problems;
}
