/**
 * The experiment schema's loss section (`definitions.loss`), derived from the descriptors:
 * one `name` with a description each, one if/then branch of options each, and a snippet each.
 * scripts/loss-schema.ts writes it into schemas/experiment.schema.json; a unit test fails when
 * the file is stale.
 */
import type { JsonSchema, LossDescriptor } from './descriptor';
import { LOSS_DESCRIPTORS } from './registry';

/** A user's loss module: not a descriptor of ours, but a name the config accepts. */
const CUSTOM = {
  name: 'custom',
  summary: "Your own loss head: a TypeScript or JavaScript module written with tfjs ops (`module`), with its `options`. Runs the module's code: needs a trusted workspace.",
  required: ['module'],
  properties: {
    module: {
      type: 'string',
      minLength: 1,
      pattern: '\\.(c|m)?(t|j)sx?$',
      patternErrorMessage: 'a .ts or .js file',
      description:
        "The loss module, a .ts or .js file, relative to this config file: `export default function createLoss({ tf, store, featureDim, numClasses, options })` returning `{ train, evaluate, outputs, classWeights }` (see 'Loss Lab: New Loss'). No default (required).",
      examples: ['./losses/focal.ts'],
    },
    options: { type: 'object', description: "Passed to the module's factory as `options`; checked against the module's exported `optionsSchema` when it has one. Default: {}." },
  },
  snippet: { label: 'Custom loss module', body: { name: 'custom', module: '${1:./losses/focal.ts}', options: {} } },
};

function branch(name: string, required: readonly string[] | undefined, properties: Record<string, JsonSchema>): JsonSchema {
  return {
    if: { type: 'object', required: ['name'], properties: { name: { const: name } } },
    then: { type: 'object', ...(required?.length ? { required } : {}), additionalProperties: false, properties: { name: true, ...properties } },
  };
}

/** `{ "name": "am-softmax", "s": "^${1:7.5}", … }`: each option a tab stop holding its example value. */
function snippet(d: LossDescriptor<string, object>): JsonSchema {
  const options = Object.entries(d.snippet.options).map(([field, value], i) => [field, `^\${${i + 1}:${String(value)}}`]);
  return { label: d.snippet.label ?? d.label(d.snippet.options), body: { name: d.name, ...Object.fromEntries(options) } };
}

export function lossSchema(descriptors: readonly LossDescriptor<string, object>[] = LOSS_DESCRIPTORS): JsonSchema {
  return {
    type: 'object',
    required: ['name'],
    description: 'One loss of the grid; the fields that apply depend on `name`.',
    properties: {
      name: {
        type: 'string',
        enum: [...descriptors.map((d) => d.name), CUSTOM.name],
        enumDescriptions: [...descriptors.map((d) => d.summary), CUSTOM.summary],
        description: 'Which loss. No default: it decides the remaining fields.',
      },
    },
    allOf: [...descriptors.map((d) => branch(d.name, d.optionsSchema.required, d.optionsSchema.properties as Record<string, JsonSchema>)), branch(CUSTOM.name, CUSTOM.required, CUSTOM.properties)],
    defaultSnippets: [...descriptors.map(snippet), CUSTOM.snippet],
  };
}
