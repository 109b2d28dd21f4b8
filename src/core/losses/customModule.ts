/**
 * A loss head in the user's own TypeScript or JavaScript file: `{ "name": "custom", "module": "./losses/focal.ts", "options": {…} }`.
 *
 * The file is bundled with esbuild (a type-free transpile: types are stripped, not checked) into CommonJS
 * and evaluated in this process. Every import of `@tensorflow/tfjs-core` (or `@tensorflow/tfjs`) is answered
 * with this process's own tfjs instance, so the module's tensors, variables and gradients live on the same
 * engine as the backbone's. The module's default export (or `createLoss`) is a factory:
 *
 *   export default function createLoss({ tf, store, featureDim, numClasses, options }): LossHead
 *
 * and it may export `optionsSchema`, a JSON Schema that the config's `options` are validated against
 * (with its defaults filled in). Syntax errors, errors while evaluating the module and errors thrown by
 * its head are reported with the module's file and line (esbuild's locations; stack frames mapped back
 * through the bundle's source map).
 */
import * as tf from '@tensorflow/tfjs-core';
import Ajv from 'ajv';
import { readFileSync, statSync } from 'node:fs';
import { createRequire, SourceMap, type SourceMapPayload } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type { ConfigProblem } from '../config/configError';
import type { ParamStore } from '../nn/params';
import type { HeadOutput, LossHead } from './head';

/** What the module's factory receives. */
export interface CustomLossContext {
  /** The worker's own tfjs-core: use it (or an import of '@tensorflow/tfjs-core', which is the same object). */
  tf: typeof tf;
  /** Register the head's parameters here (`store.addParam(name, shape, values, isWeight)`): the optimizer, weight decay and checkpoints use them. */
  store: ParamStore;
  featureDim: number;
  numClasses: number;
  /** The config's `options`, validated against the module's `optionsSchema` (defaults filled in) when it exports one. */
  options: Record<string, unknown>;
}

/** What the factory returns: `train` is required; `evaluate` defaults to `train`, `outputs` to the scores, `classWeights` to none. */
export interface CustomLossHead {
  train(features: tf.Tensor2D, labels: tf.Tensor1D): HeadOutput;
  evaluate?(features: tf.Tensor2D, labels: tf.Tensor1D): HeadOutput;
  outputs?(features: tf.Tensor2D): { before: tf.Tensor2D; after?: tf.Tensor2D };
  classWeights?(): tf.Tensor2D | null;
  evalMode?: string;
}

export interface LoadedCustomLoss {
  /** Absolute path of the module. */
  file: string;
  create(ctx: CustomLossContext): CustomLossHead;
  optionsSchema?: Record<string, unknown>;
}

/** A problem in a custom loss module, located in the module's own source where known. */
export class CustomLossError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${line === undefined ? file : `${file}:${line}${column === undefined ? '' : `:${column}`}`}: ${detail}`);
    this.name = 'CustomLossError';
  }
}

/** The name tables and run ids show for a module: its file name without the extension (`./losses/focal.ts` → `focal`). */
export function customLossName(module: string): string {
  const base =
    module
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? module;
  return base.replace(/\.(c|m)?(t|j)sx?$/i, '') || 'loss';
}

interface Compiled {
  mtimeMs: number;
  loaded: LoadedCustomLoss;
}

const cache = new Map<string, Compiled>();
const BUNDLE_SUFFIX = '.losslab-bundle.js';
/** Everything before the bundle's first line on that line; column numbers of line 1 are shifted by it. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';

interface EsbuildMessage {
  text: string;
  location?: { file: string; line: number; column: number } | null;
}

/** esbuild is a dependency of the tools, loaded only when a custom loss is used. */
function esbuildApi(file: string): typeof import('esbuild') {
  try {
    return createRequire(__filename)('esbuild') as typeof import('esbuild');
  } catch (e) {
    throw new CustomLossError(
      file,
      `custom loss modules are bundled with esbuild, which cannot be loaded here (${(e as Error).message.split('\n')[0]}): install it next to Loss Lab (npm install esbuild)`,
    );
  }
}

function bundle(file: string): { code: string; map: SourceMap | undefined; outfile: string } {
  const outfile = file + BUNDLE_SUFFIX;
  const esbuild = esbuildApi(file);
  let result;
  try {
    result = esbuild.buildSync({
      entryPoints: [file],
      outfile,
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: false,
      logLevel: 'silent',
      // The worker's instance answers these (see requireFor): one engine, shared tensors.
      external: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/*', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-*'],
    });
  } catch (e) {
    const errors = (e as { errors?: EsbuildMessage[] }).errors;
    const first = errors?.find((m) => m.location) ?? errors?.[0];
    if (!first) throw new CustomLossError(file, `could not be bundled: ${(e as Error).message}`);
    const more = errors && errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    const loc = first.location;
    const where = loc ? path.resolve(loc.file) : file;
    throw new CustomLossError(where, `${first.text}${more}`, loc?.line, loc ? loc.column + 1 : undefined);
  }
  const js = result.outputFiles.find((o) => o.path.endsWith('.js'));
  const mapFile = result.outputFiles.find((o) => o.path.endsWith('.map'));
  if (!js) throw new CustomLossError(file, 'esbuild produced no output');
  let map: SourceMap | undefined;
  if (mapFile) {
    try {
      map = new SourceMap(JSON.parse(mapFile.text) as SourceMapPayload);
    } catch {
      map = undefined;
    }
  }
  // Drop esbuild's `//# sourceMappingURL=` comment: the map is kept here, not on disk.
  return { code: js.text.replace(/\/\/# sourceMappingURL=.*\s*$/, ''), map, outfile };
}

/** The first stack frame inside the bundle, mapped back to the module's own file, line and column. */
function locateInModule(err: unknown, outfile: string, map: SourceMap | undefined): { file: string; line: number; column: number } | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  if (!stack || !map) return undefined;
  for (const frame of stack.split('\n')) {
    const at = frame.lastIndexOf(outfile + ':');
    if (at < 0) continue;
    const m = /^:(\d+):(\d+)/.exec(frame.slice(at + outfile.length));
    if (!m) continue;
    const line = Number(m[1]);
    const column = Number(m[2]) - (line === 1 ? WRAPPER_HEAD.length : 0);
    const entry = map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry?.originalSource === undefined || entry.originalLine === undefined) continue;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(path.dirname(outfile), entry.originalSource);
    return { file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }
  return undefined;
}

/** A runtime error of the module, as a CustomLossError at the module's line where the stack shows it. */
function runtimeError(err: unknown, file: string, outfile: string, map: SourceMap | undefined, what: string): CustomLossError {
  if (err instanceof CustomLossError) return err;
  const message = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  const at = locateInModule(err, outfile, map);
  return at ? new CustomLossError(at.file, `${what}: ${message}`, at.line, at.column) : new CustomLossError(file, `${what}: ${message}`);
}

function requireFor(file: string): (id: string) => unknown {
  const nodeRequire = createRequire(file);
  return (id: string) => (/^@tensorflow\/tfjs(-core)?(\/|$)/.test(id) || id.startsWith('@tensorflow/tfjs-backend-') ? tf : nodeRequire(id));
}

/**
 * Bundles and evaluates the module at `file` (absolute, or relative to the working folder); cached per file
 * until it changes. Throws CustomLossError with the module's file and line.
 */
export function loadCustomLoss(file: string): LoadedCustomLoss {
  const abs = path.resolve(file);
  let mtimeMs: number;
  try {
    mtimeMs = statSync(abs).mtimeMs;
  } catch (e) {
    throw new CustomLossError(abs, `cannot read the loss module (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const hit = cache.get(abs);
  if (hit && hit.mtimeMs === mtimeMs) return hit.loaded;
  readFileSync(abs); // a file that vanished since the stat fails here, not inside esbuild
  const { code, map, outfile } = bundle(abs);
  const module = { exports: {} as Record<string, unknown> };
  try {
    const fn = vm.runInThisContext(`${WRAPPER_HEAD}${code}\n})`, { filename: outfile }) as (...args: unknown[]) => void;
    fn(module.exports, requireFor(abs), module, abs, path.dirname(abs));
  } catch (e) {
    throw runtimeError(e, abs, outfile, map, 'error while loading the module');
  }
  const exports = module.exports;
  const factory = (typeof exports.default === 'function' ? exports.default : exports.createLoss) as ((ctx: CustomLossContext) => unknown) | undefined;
  if (typeof factory !== 'function') {
    throw new CustomLossError(
      abs,
      'the module exports no factory: write `export default function createLoss({ tf, store, featureDim, numClasses, options }) { return { train, evaluate, outputs, classWeights }; }`',
    );
  }
  const schema = exports.optionsSchema;
  if (schema !== undefined && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    throw new CustomLossError(abs, '`optionsSchema` must be a JSON Schema object');
  }
  const loaded: LoadedCustomLoss = {
    file: abs,
    optionsSchema: schema as Record<string, unknown> | undefined,
    create: (ctx) => {
      let head: unknown;
      try {
        head = factory(ctx);
      } catch (e) {
        throw runtimeError(e, abs, outfile, map, 'createLoss failed');
      }
      if (typeof head !== 'object' || head === null || typeof (head as CustomLossHead).train !== 'function') {
        throw new CustomLossError(abs, 'createLoss must return an object with train(features, labels) → { loss, scores }');
      }
      return wrapHead(head as CustomLossHead, (e, what) => runtimeError(e, abs, outfile, map, what));
    },
  };
  cache.set(abs, { mtimeMs, loaded });
  return loaded;
}

/** The user's head behind the LossHead interface, with defaults and errors located in the module. */
function wrapHead(head: CustomLossHead, fail: (e: unknown, what: string) => CustomLossError): CustomLossHead {
  const guard =
    <A extends unknown[], R>(what: string, f: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return f(...args);
      } catch (e) {
        throw fail(e, what);
      }
    };
  const checked = (what: string, out: HeadOutput, n: number): HeadOutput => {
    if (!out || !(out.loss instanceof tf.Tensor) || !(out.scores instanceof tf.Tensor)) throw fail(new Error('must return { loss, scores } tensors'), what);
    if (out.loss.rank !== 0) throw fail(new Error(`loss must be a scalar, got shape [${out.loss.shape.join(', ')}]`), what);
    if (out.scores.rank !== 2 || out.scores.shape[0] !== n) throw fail(new Error(`scores must have shape (N, k) = (${n}, k), got [${out.scores.shape.join(', ')}]`), what);
    return out;
  };
  const train = guard('train', (f: tf.Tensor2D, y: tf.Tensor1D) => checked('train', head.train(f, y), f.shape[0]));
  const evaluate = head.evaluate ? guard('evaluate', (f: tf.Tensor2D, y: tf.Tensor1D) => checked('evaluate', head.evaluate!(f, y), f.shape[0])) : train;
  return {
    train,
    evaluate,
    outputs: head.outputs ? guard('outputs', (f: tf.Tensor2D) => head.outputs!(f)) : (f: tf.Tensor2D) => ({ before: evaluate(f, tf.zeros([f.shape[0]], 'int32') as tf.Tensor1D).scores }),
    classWeights: head.classWeights ? guard('classWeights', () => head.classWeights!() ?? null) : () => null,
    ...(head.evalMode === undefined ? {} : { evalMode: head.evalMode }),
  };
}

let ajv: Ajv | undefined;

/** The config's options checked against the module's `optionsSchema`, with its defaults filled in. */
export function customLossOptions(loaded: LoadedCustomLoss, options: Record<string, unknown> | undefined): Record<string, unknown> {
  const value = structuredClone(options ?? {});
  if (!loaded.optionsSchema) return value;
  ajv ??= new Ajv({ allErrors: true, useDefaults: true, strict: false });
  let validate;
  try {
    validate = ajv.compile(loaded.optionsSchema);
  } catch (e) {
    throw new CustomLossError(loaded.file, `optionsSchema is not a valid JSON Schema: ${(e as Error).message}`);
  }
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map(
      (e) => `options${e.instancePath.replace(/\//g, '.')} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`,
    );
    throw new CustomLossError(loaded.file, `the config's options do not fit the module's optionsSchema: ${problems.join('; ')}`);
  }
  return value;
}

/** The head of a `{ name: 'custom' }` loss: load, validate the options, create. */
export function customHead(loss: { module: string; options?: Record<string, unknown> }, store: ParamStore, featureDim: number, numClasses: number): LossHead {
  const loaded = loadCustomLoss(loss.module);
  const options = customLossOptions(loaded, loss.options);
  return loaded.create({ tf, store, featureDim, numClasses, options }) as LossHead;
}

/**
 * Loads every custom loss of a config and checks its options: what each run would hit, found before any
 * starts (`losslab run` and `losslab validate`; this runs the modules' code, as running them would).
 */
export function customLossProblems(losses: readonly { name: string }[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  losses.forEach((loss, i) => {
    if (loss.name !== 'custom') return;
    const { module, options } = loss as unknown as { module: string; options?: Record<string, unknown> };
    try {
      customLossOptions(loadCustomLoss(module), options);
    } catch (e) {
      const optionsProblem = e instanceof CustomLossError && e.line === undefined && /options/.test(e.detail);
      problems.push({ path: `/losses/${i}/${optionsProblem ? 'options' : 'module'}`, message: e instanceof Error ? e.message : String(e) });
    }
  });
  return problems;
}
