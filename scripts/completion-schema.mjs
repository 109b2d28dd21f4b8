// The schema VS Code's JSON language service gets for *.losslab.json (package.json jsonValidation):
// schemas/experiment.schema.json with every constraint removed, so it gives completion, hover and
// snippets but reports nothing. Loss Lab's own diagnostics (src/extension/config/configDiagnostics.ts) report
// each problem once, with its did-you-mean and semantic checks; two validators would report it twice.
// Written by esbuild.mjs into dist/; test/unit/config/completionSchema.test.ts checks it with the
// JSON language service itself.
import { readFileSync, writeFileSync } from 'node:fs';

/** Keywords that only constrain (each would make the JSON service report a problem). */
const CONSTRAINTS = new Set([
  'type',
  'required',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'patternErrorMessage',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'propertyNames',
  'dependencies',
  'dependentRequired',
  'not',
  'const',
  'contains',
]);
/** Keywords whose value is one schema, or a map or list of schemas, to transform in turn. */
const SUBSCHEMA = new Set(['items', 'additionalItems', 'then', 'else']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);

/** A value the JSON service completes when typing this field, from its type (lost with `type` itself). */
function typeSnippets(type) {
  const types = Array.isArray(type) ? type : [type];
  const snippets = [];
  if (types.includes('boolean')) snippets.push({ body: true }, { body: false });
  if (types.includes('object')) snippets.push({ label: '{}', body: {} });
  if (types.includes('array')) snippets.push({ label: '[]', body: [] });
  return snippets;
}

/** `schema` for completion and hover only; `if` conditions are kept whole (a failed condition is never reported). */
export function completionSchema(schema) {
  if (Array.isArray(schema)) return schema.map(completionSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out = {};
  const snippets = [...(schema.defaultSnippets ?? [])];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'if') out.if = value;
    else if (key === 'type') snippets.push(...(snippets.length === 0 && !schema.enum ? typeSnippets(value) : []));
    else if (CONSTRAINTS.has(key) || key === 'defaultSnippets' || key === 'enumDescriptions') continue;
    // An allowed set becomes snippets: still completed, each with its description, never enforced.
    else if (key === 'enum') value.forEach((v, i) => snippets.push({ label: JSON.stringify(v), body: v, ...(schema.enumDescriptions?.[i] ? { description: schema.enumDescriptions[i] } : {}) }));
    // additionalProperties: false forbids; a schema there describes the values.
    else if (key === 'additionalProperties') {
      if (typeof value === 'object') out.additionalProperties = completionSchema(value);
    } else if (SUBSCHEMA.has(key)) out[key] = completionSchema(value);
    // oneOf would report a value that fits several (now unconstrained) alternatives.
    else if (SCHEMA_LISTS.has(key)) out[key === 'oneOf' ? 'anyOf' : key] = value.map(completionSchema);
    else if (SCHEMA_MAPS.has(key)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, completionSchema(v)]));
    else out[key] = value;
  }
  if (snippets.length > 0) out.defaultSnippets = snippets;
  // With a $ref beside it, the JSON service hovers the referenced schema's description, not the field's
  // own (`m` read "a number, or a sweep"); a markdownDescription of its own wins over both.
  if (schema.$ref && typeof schema.description === 'string' && out.markdownDescription === undefined) out.markdownDescription = schema.description;
  return out;
}

/** Writes the completion schema of `source` to `target`. */
export function writeCompletionSchema(source, target) {
  writeFileSync(target, `${JSON.stringify(completionSchema(JSON.parse(readFileSync(source, 'utf8'))), null, 1)}\n`);
}
