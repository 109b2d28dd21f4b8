/**
 * Validates experiment configs against `schemas/experiment.schema.json` (the
 * same file VS Code uses for completion), fills in its defaults, and adds the
 * checks a schema cannot express. Every problem is reported at once.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import schema from '../../../schemas/experiment.schema.json';
import { ConfigError, type ConfigProblem } from './configError';
import { duplicateKeys, jsonSyntaxError, positionAt, problemRange } from './jsonLocate';
import { problemsFromSchemaErrors } from './schemaProblems';
import { applyDerivedDefaults } from './derivedDefaults';
import { semanticProblems } from './semantic';
import type { ExperimentConfig } from './types';

/** Editor-only keywords in the schema (VS Code's JSON language service); ajv's strict mode must know them. */
const EDITOR_KEYWORDS = ['markdownDescription', 'enumDescriptions', 'defaultSnippets', 'patternErrorMessage'];

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!compiled) {
    // verbose: errors carry the offending value and the schema, for messages that list what is allowed.
    // Sweepable fields are `{ $ref: numberOrSweep, minimum, … }`: bounds that apply when the value is a number,
    // next to a reference that also allows a list or a range; strictTypes would ask for a type beside them.
    const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true });
    ajv.addVocabulary(EDITOR_KEYWORDS);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/**
 * Checks a parsed config and returns it with every default filled in. The input
 * is not modified. Throws ConfigError listing all problems.
 */
export function validateConfig(json: unknown, source = 'config'): ExperimentConfig {
  const config: unknown = structuredClone(json);
  const validate = schemaValidator();
  const problems: ConfigProblem[] = validate(config) ? [] : problemsFromSchemaErrors(validate.errors ?? [], schema);
  problems.push(...semanticProblems(config, json));
  if (problems.length > 0) throw new ConfigError(source, problems);
  return applyDerivedDefaults(config as ExperimentConfig, json);
}

function syntaxError(text: string, source: string, parseError: unknown): ConfigError {
  const error = jsonSyntaxError(text);
  if (!error) {
    // The locator accepted what JSON.parse rejected: report the runtime's own words.
    return new ConfigError(source, [{ path: '/', message: `invalid JSON: ${(parseError as Error).message}`, syntax: true }]);
  }
  const { line, column } = positionAt(text, error.offset);
  return new ConfigError(source, [{ path: '/', message: `invalid JSON: ${error.message}`, line, column, syntax: true }]);
}

/**
 * Parses and validates the text of a config file. Syntax errors and validation
 * problems come back as ConfigError with 1-based line and column on each problem.
 */
export function parseConfigText(text: string, source = 'config'): ExperimentConfig {
  const body = text.replace(/^\uFEFF/, ''); // editors on Windows may save a byte-order mark
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw syntaxError(body, source, e);
  }
  const duplicates: ConfigProblem[] = duplicateKeys(body).map(({ pointer }) => ({
    path: pointer,
    message: `field given twice; JSON keeps only the last (allowed: each field once)`,
  }));
  let problems: readonly ConfigProblem[] = duplicates;
  let config: ExperimentConfig | undefined;
  try {
    config = validateConfig(json, source);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems = [...duplicates, ...e.problems];
  }
  if (config && problems.length === 0) return config;
  throw new ConfigError(source, locateProblems(body, problems));
}

/** The problems with their 1-based line and column (and end) in `text`, for editors and messages. */
export function locateProblems(text: string, problems: readonly ConfigProblem[]): ConfigProblem[] {
  const body = text.replace(/^\uFEFF/, '');
  return problems.map((p) => locate(p, body));
}

function locate(problem: ConfigProblem, text: string): ConfigProblem {
  const pointer = problem.focus ?? (problem.path === '/' ? '' : problem.path);
  const range = problemRange(text, pointer, problem.focus !== undefined);
  if (!range) return problem; // no JSON value in the text at all
  const start = positionAt(text, range.start);
  const end = positionAt(text, range.end);
  return { ...problem, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}
