/**
 * Turns one file of a user's loss module (TypeScript or modern JavaScript) into CommonJS.
 *
 * Sucrase, not esbuild: it is plain JavaScript that runs in the calling process, so the packaged
 * extension needs no native binary per platform (esbuild) and no `node` on PATH (esbuild-wasm runs
 * its compiler in a `node` child process, which a VS Code user may not have); it keeps every line
 * where it was, so stack frames point at the module's own lines without a source map; bundled on
 * its own (dist/moduleCompiler.js, about 0.3 MB) it costs nothing until a custom loss is loaded.
 * Types are stripped, not checked, as esbuild and tsx do.
 */
import { transform } from 'sucrase';

/** A syntax error at a 1-based line and column of the file. */
export interface CompileError {
  message: string;
  line?: number;
  column?: number;
}

export type CompileResult = { code: string } | { error: CompileError };

export function compileModuleFile(source: string, file: string): CompileResult {
  const typescript = /\.(c|m)?tsx?$/i.test(file);
  const jsx = /x$/i.test(file);
  const transforms: ('typescript' | 'jsx' | 'imports')[] = [...(typescript ? (['typescript'] as const) : []), ...(jsx ? (['jsx'] as const) : []), 'imports'];
  try {
    return { code: transform(source, { transforms, filePath: file, production: true }).code };
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    // Sucrase prefixes "Error transforming FILE: " and appends " (line:column)": the caller says both.
    const message = (e as Error).message.replace(/^Error transforming [^:]*: /, '').replace(/ \(\d+:\d+\)$/, '');
    return { error: loc ? { message, line: loc.line, column: loc.column + 1 } : { message } };
  }
}
