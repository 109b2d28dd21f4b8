/**
 * Which user loss module is running, and what a `process.exit` from it means: the processes that run
 * user modules (the training worker, the module host) replace `process.exit` so that a module that
 * exits is a named failure instead of a silent success with the module's exit code.
 */
import { CustomLossError } from './customLossError';

export type UserCodePhase = 'loading' | 'running';

/** A user module called process.exit: the caller reports it as a failure, naming the module. */
export class ExitCalledError extends CustomLossError {
  constructor(
    file: string,
    readonly code: number | string | undefined,
    readonly phase: UserCodePhase,
  ) {
    const when = phase === 'loading' ? 'while loading' : 'while its loss head ran';
    super(file, `called process.exit(${code ?? ''}) ${when}`);
    this.message = `the loss module ${file} called process.exit(${code ?? ''}) ${when}`;
    this.name = 'ExitCalledError';
  }
}

let current: { file: string; phase: UserCodePhase } | undefined;
/** The last module that ran: blamed for an exit from its timers or promises, after its call returned. */
let lastFile: string | undefined;
let called: ExitCalledError | undefined;
let realExit: ((code?: number | string | null) => never) | undefined;

/** Runs `f`, user code of `file`, so that an exit inside it names the module and the phase. */
export function inUserCode<T>(file: string, phase: UserCodePhase, f: () => T): T {
  const outer = current;
  current = { file, phase };
  lastFile = file;
  try {
    return f();
  } finally {
    current = outer;
  }
}

/**
 * Replaces process.exit in this process: a call from a user module is recorded and thrown as
 * ExitCalledError (which stops the module's code unless it catches it: exitCalled() still says so).
 * A call from the module's timers or promises, outside any call into it, goes to `onStray` when given
 * (throwing there would only crash the process unnamed). Returns the real exit, for the process's own code.
 */
export function guardProcessExit(onStray?: (e: ExitCalledError) => void): (code?: number) => never {
  if (!realExit) {
    realExit = process.exit.bind(process);
    process.exit = (code?: number | string | null) => {
      const where = current ?? (lastFile ? { file: lastFile, phase: 'running' as const } : undefined);
      // Not from a module (no module ran yet): an exit of the process's own dependencies, kept as it was.
      if (!where) return realExit!(code);
      const e = new ExitCalledError(where.file, code ?? undefined, where.phase);
      called ??= e;
      if (!current && onStray) {
        onStray(e);
        return undefined as never;
      }
      throw e;
    };
  }
  return realExit;
}

/** The first exit a user module called in this process, if any. */
export function exitCalled(): ExitCalledError | undefined {
  return called;
}
