/**
 * A loss head in the user's own TypeScript or JavaScript file: `{ "name": "custom", "module": "./losses/focal.ts", "options": {…} }`.
 *
 * The file, and the sources it imports from its own folders, are compiled to CommonJS (moduleCompiler.ts:
 * types are stripped, not checked) and evaluated in this process: the training worker or the module host, never
 * the CLI's or the extension's own process. Every import of `@tensorflow/tfjs-core` (or `@tensorflow/tfjs`) is answered
 * with this process's own tfjs instance, so the module's tensors, variables and gradients live on the same
 * engine as the backbone's. The module's default export (or `createLoss`) is a factory:
 *
 *   export default function createLoss({ tf, store, featureDim, numClasses, options, seed }): LossHead
 *
 * and it may export `optionsSchema`, a JSON Schema that the config's `options` are validated against
 * (with its defaults filled in). Syntax errors, errors while evaluating the module and errors thrown by
 * its head are reported with the module's file and line (the compiler keeps every line where it was).
 */
import * as tf from '@tensorflow/tfjs-core';
import Ajv from 'ajv';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { runtimeRequire } from '../runtimeRequire';
import type { ConfigProblem } from '../config/configError';
import type { ParamStore } from '../nn/params';
import { CustomLossError } from './customLossError';
import type { HeadOutput, LossHead } from './head';
import type { CustomLossContext, CustomLossHead } from './lossModule';
import { inUserCode } from './userCode';

export { CustomLossError };

export interface LoadedCustomLoss {
  /** Absolute path of the module. */
  file: string;
  create(ctx: CustomLossContext): CustomLossHead;
  optionsSchema?: Record<string, unknown>;
  /** Every file of the module (the entry first, then the sources it imports) with its text as loaded. */
  sources: ReadonlyMap<string, string>;
}

interface Cached {
  /** Every file of the module (the entry and the sources it imports) with its mtime when loaded. */
  files: Map<string, number>;
  loaded: LoadedCustomLoss;
}

const cache = new Map<string, Cached>();
/** The frames of a module's error sit under tfjs's own: the default 10 often show none of the module's. */
const STACK_FRAMES = 64;
/** Files a module may import that are compiled like the module itself (outside node_modules). */
const SOURCE_FILE = /\.(c|m)?(t|j)sx?$/i;
const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.js'];
const TFJS_ID = /^@tensorflow\/tfjs(-core)?(\/|$)|^@tensorflow\/tfjs-backend-/;

type Compiler = typeof import('./moduleCompiler');
let compiler: Compiler | undefined;

/**
 * The module compiler: its own bundle beside this one in the packaged extension and the CLI
 * (dist/moduleCompiler.js), the source when running unbundled (tests, tsx).
 */
function moduleCompiler(file: string): Compiler {
  if (compiler) return compiler;
  // __dirname: the bundle's folder (dist/) when bundled, this source's folder under tsx.
  const bundled = path.join(__dirname, 'moduleCompiler.js');
  const fromSource = path.join(__dirname, 'moduleCompiler.ts');
  const entry = fs.existsSync(bundled) ? bundled : fs.existsSync(fromSource) ? fromSource : undefined;
  if (!entry) {
    throw new CustomLossError(file, `custom loss modules are compiled by Loss Lab's module compiler, which is missing from this installation (${bundled}): reinstall Loss Lab`);
  }
  compiler = runtimeRequire()(entry) as Compiler;
  return compiler;
}

/** `spec` imported from `from`, as a file, when it is relative or absolute and exists. */
function resolveFile(spec: string, from: string): string | undefined {
  if (!spec.startsWith('.') && !path.isAbsolute(spec)) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Loads the module's files: its own sources compiled here, tfjs answered with this process's instance. */
class ModuleGraph {
  readonly files = new Map<string, number>();
  readonly sources = new Map<string, string>();
  private readonly exportsOf = new Map<string, { exports: Record<string, unknown> }>();

  constructor(private readonly entry: string) {}

  load(file: string): Record<string, unknown> {
    const known = this.exportsOf.get(file);
    if (known) return known.exports; // a cycle, or a file imported twice: Node's semantics
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
      this.files.set(file, fs.statSync(file).mtimeMs);
      this.sources.set(file, source);
    } catch (e) {
      throw new CustomLossError(file, `cannot read the loss module (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const compiled = moduleCompiler(this.entry).compileModuleFile(source, file);
    if ('error' in compiled) throw new CustomLossError(file, compiled.error.message, compiled.error.line, compiled.error.column);
    const module = { exports: {} as Record<string, unknown> };
    this.exportsOf.set(file, module);
    // CommonJS's module wrapper, with the five parameters named here.
    const fn = vm.compileFunction(compiled.code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file }) as (...args: unknown[]) => unknown;
    inUserCode(file, 'loading', () => void fn(module.exports, this.requireFrom(file), module, file, path.dirname(file)));
    return module.exports;
  }

  private requireFrom(file: string): (id: string) => unknown {
    const nodeRequire = createRequire(file);
    return (id: string) => {
      // One engine: the module's tensors, variables and gradients are the backbone's.
      if (TFJS_ID.test(id)) return tf;
      const local = resolveFile(id, file);
      if (local && SOURCE_FILE.test(local) && !local.split(path.sep).includes('node_modules')) return this.load(local);
      return nodeRequire(id) as unknown;
    };
  }
}

/** The first stack frame in one of the module's files, as file, line and column (lines are the source's own). */
function locateInModule(err: unknown, files: Iterable<string>): { file: string; line: number; column: number } | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  if (!stack) return undefined;
  const known = [...files];
  for (const frame of stack.split('\n')) {
    for (const file of known) {
      const at = frame.lastIndexOf(file + ':');
      if (at < 0) continue;
      const m = /^:(\d+):(\d+)/.exec(frame.slice(at + file.length));
      if (m) return { file, line: Number(m[1]), column: Number(m[2]) };
    }
  }
  return undefined;
}

/** A runtime error of the module, as a CustomLossError at the module's line where the stack shows it. */
function runtimeError(err: unknown, file: string, files: Iterable<string>, what: string): CustomLossError {
  if (err instanceof CustomLossError) return err;
  const message = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  const at = locateInModule(err, files);
  return at ? new CustomLossError(at.file, `${what}: ${message}`, at.line, at.column) : new CustomLossError(file, `${what}: ${message}`);
}

function unchanged(cached: Cached): boolean {
  for (const [file, mtimeMs] of cached.files) {
    try {
      if (fs.statSync(file).mtimeMs !== mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Compiles and evaluates the module at `file` (absolute, or relative to the working folder) and the
 * sources it imports; cached until one of them changes. Throws CustomLossError with the module's file and line.
 */
export function loadCustomLoss(file: string): LoadedCustomLoss {
  const abs = path.resolve(file);
  const hit = cache.get(abs);
  if (hit && unchanged(hit)) return hit.loaded;
  Error.stackTraceLimit = Math.max(Error.stackTraceLimit, STACK_FRAMES);
  const graph = new ModuleGraph(abs);
  let exports: Record<string, unknown>;
  try {
    exports = graph.load(abs);
  } catch (e) {
    throw runtimeError(e, abs, graph.files.keys(), 'error while loading the module');
  }
  const files = graph.files;
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
    sources: graph.sources,
    create: (ctx) => {
      let head: unknown;
      try {
        head = inUserCode(abs, 'running', () => factory(ctx));
      } catch (e) {
        throw runtimeError(e, abs, files.keys(), 'createLoss failed');
      }
      if (typeof head !== 'object' || head === null || typeof (head as CustomLossHead).train !== 'function') {
        throw new CustomLossError(abs, 'createLoss must return an object with train(features, labels) → { loss, scores }');
      }
      return wrapHead(head as CustomLossHead, abs, (e, what) => runtimeError(e, abs, files.keys(), what));
    },
  };
  cache.set(abs, { files, loaded });
  return loaded;
}

/** The user's head behind the LossHead interface, with defaults and errors located in the module. */
function wrapHead(head: CustomLossHead, file: string, fail: (e: unknown, what: string) => CustomLossError): CustomLossHead {
  const guard =
    <A extends unknown[], R>(what: string, f: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return inUserCode(file, 'running', () => f(...args));
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
    outputs: head.outputs ? guard('outputs', (f: tf.Tensor2D) => head.outputs!(f)) : (f: tf.Tensor2D) => ({ before: evaluate(f, tf.zeros<tf.Rank.R1>([f.shape[0]], 'int32')).scores }),
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
export function customHead(loss: { module: string; options?: Record<string, unknown> }, store: ParamStore, featureDim: number, numClasses: number, seed?: number): LossHead {
  const loaded = loadCustomLoss(loss.module);
  const options = customLossOptions(loaded, loss.options);
  return loaded.create({ tf, store, featureDim, numClasses, options, seed }) as LossHead;
}

/**
 * Loads every custom loss of a config and checks its options: what each run would hit, found before any
 * starts (`losslab run` and `losslab validate`, through the module host's process: this runs the modules' code).
 * `onModule` hears of each module before it loads, so a module that hangs or exits can be named.
 */
export function customLossProblems(losses: readonly { name: string }[], onModule?: (module: string) => void): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  losses.forEach((loss, i) => {
    if (loss.name !== 'custom') return;
    const { module, options } = loss as unknown as { module: string; options?: Record<string, unknown> };
    onModule?.(module);
    try {
      customLossOptions(loadCustomLoss(module), options);
    } catch (e) {
      const optionsProblem = e instanceof CustomLossError && e.line === undefined && /options/.test(e.detail);
      problems.push({ path: `/losses/${i}/${optionsProblem ? 'options' : 'module'}`, message: e instanceof Error ? e.message : String(e) });
    }
  });
  return problems;
}
