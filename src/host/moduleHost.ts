/**
 * Asks the module host (src/worker/moduleHost.ts, a child process) to load or check user loss modules,
 * under a time limit: a module that loops forever, exits, or crashes its process becomes one line that
 * names it, and Ctrl-C ends the child at once, never the user's code holding the CLI.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODULE_HOST_PROTOCOL_VERSION, parseFromModuleHost, type FromModuleHost, type ModuleHostRequest } from '../protocol/moduleHost';

/** A module failed to load or check, hung past the time limit, or ended the process: the message names it. */
export class ModuleHostError extends Error {}

/** Ctrl-C while a module loaded: the child is gone; the CLI exits 130. */
export class ModuleHostInterrupted extends Error {}

const DEFAULT_MODULE_TIMEOUT_S = 30;
const MODULE_TIMEOUT_ENV = 'LOSSLAB_MODULE_TIMEOUT';

/** Seconds a module may take to load (or check-loss to check it): LOSSLAB_MODULE_TIMEOUT, default 30. */
export function moduleTimeoutS(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MODULE_TIMEOUT_ENV];
  if (raw === undefined || raw === '') return DEFAULT_MODULE_TIMEOUT_S;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ModuleHostError(`${MODULE_TIMEOUT_ENV} must be a positive number of seconds, got '${raw}'`);
  return n;
}

/** The module host's script beside the worker's: the bundle in dist/, or the source when run through tsx. */
export function moduleHostPathOf(workerPath: string): string {
  const bundled = path.join(path.dirname(workerPath), 'moduleHost.js');
  const source = path.resolve(__dirname, '..', 'worker', 'moduleHost.ts');
  return fs.existsSync(bundled) || !fs.existsSync(source) ? bundled : source;
}

type Reply<T extends ModuleHostRequest['type']> = Extract<FromModuleHost, { type: { problems: 'problems'; schema: 'schema'; check: 'checked' }[T] }>;

export interface ModuleHostOptions {
  hostPath: string;
  timeoutS?: number;
  /** Where the module's own console output goes; stdout stays the command's (check-loss --json). */
  output?: NodeJS.WritableStream;
}

/** The modules a request loads, in the words of a message that blames one of them. */
function blameOf(req: ModuleHostRequest): string {
  if (req.type !== 'problems') return req.module;
  const modules = req.losses.flatMap((l) => (l.name === 'custom' && l.module ? [l.module] : []));
  return modules.length === 1 ? modules[0] : `one of ${modules.join(', ')}`;
}

/** Sends one request to a fresh module host and resolves to its answer; rejects with ModuleHostError or ModuleHostInterrupted. */
export function askModuleHost<T extends ModuleHostRequest['type']>(req: ModuleHostRequest & { type: T }, opts: ModuleHostOptions): Promise<Reply<T>> {
  const timeoutS = opts.timeoutS ?? moduleTimeoutS();
  let doing: 'loading' | 'checking' = 'loading';
  let blame = blameOf(req);
  return new Promise<Reply<T>>((resolve, reject) => {
    const child = fork(opts.hostPath, [], {
      execArgv: opts.hostPath.endsWith('.ts') ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const output = opts.output ?? process.stderr;
    child.stdout?.pipe(output, { end: false });
    child.stderr?.pipe(output, { end: false });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      process.off('SIGINT', onSigint);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      f();
    };
    const fail = (message: string) => settle(() => reject(new ModuleHostError(message)));
    const timer = setTimeout(
      () =>
        fail(
          `the loss module ${blame} did not finish ${doing === 'loading' ? 'loading' : 'its checks'} within ${timeoutS} s (an endless loop?); it was stopped. ${MODULE_TIMEOUT_ENV}=<seconds> sets the limit`,
        ),
      timeoutS * 1000,
    );
    const onSigint = () => settle(() => reject(new ModuleHostInterrupted(`interrupted while ${doing} the loss module ${blame}`)));
    process.on('SIGINT', onSigint);
    child.on('message', (raw) => {
      const msg = parseFromModuleHost(raw);
      if (!msg) return;
      if (msg.type === 'ready') child.send({ ...req, version: MODULE_HOST_PROTOCOL_VERSION });
      else if (msg.type === 'loading') blame = msg.module;
      else if (msg.type === 'checking') doing = 'checking';
      else if (msg.type === 'error') fail(msg.message);
      else settle(() => resolve(msg as Reply<T>));
    });
    child.on('error', (e) => fail(`cannot start the module host ${opts.hostPath}: ${e.message}`));
    // Any end before the answer is the module's doing (process.exit from a timer, process.kill, a crash).
    child.on('exit', (code, signal) => fail(`the loss module ${blame} ended its process (${signal ? `signal ${signal}` : `exit code ${code}`}) while ${doing}`));
  });
}
