import { ChildProcess, fork } from 'node:child_process';
import type { RunSpec } from '../core/config/types';
import type { EndedRunState } from '../core/results/types';
import { FromWorker, parseFromWorker, ResumePolicy, WORKER_PROTOCOL_VERSION } from '../protocol/worker';
import { EngineWatch, nativeCrashOutcome } from './nativeCrash';

export type RunOutcome =
  { state: Extract<EndedRunState, 'done'> } | { state: Extract<EndedRunState, 'stopped'>; epoch: number } | { state: Extract<EndedRunState, 'failed'>; category: string; message: string };

export interface WorkerRunOptions {
  workerPath: string;
  spec: RunSpec;
  runDir: string;
  resume: ResumePolicy;
  onMessage: (msg: FromWorker) => void;
  /** Extra environment for the worker (e.g. LOSSLAB_WASM_DIR). */
  env?: NodeJS.ProcessEnv;
  /** Seconds between a stop request and a hard kill. */
  killAfterSeconds?: number;
  /** Who starts the run ("losslab run"), named in the run lock the worker takes. */
  by?: string;
  /** Stop once this epoch is finished (a search trial at its rung); the outcome is `stopped` at it. */
  pauseAfter?: number;
}

const STDERR_TAIL = 4000;

/**
 * One training run in its own process. Resolves with how the run ended; a crash, an
 * out-of-memory kill or a protocol mismatch becomes a 'failed' outcome with the exit
 * code and the tail of stderr, never an exception in the host.
 */
export class WorkerRun {
  private child: ChildProcess | null = null;
  private stderr = '';
  private outcome: RunOutcome | null = null;
  private stopTimer: NodeJS.Timeout | null = null;
  private processError: string | null = null;
  private readonly engine: EngineWatch;
  readonly done: Promise<RunOutcome>;

  constructor(private readonly opts: WorkerRunOptions) {
    this.engine = new EngineWatch(opts.spec.backend);
    this.done = new Promise((resolve) => this.start(resolve));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Asks the worker to stop after its current step; kills it if it has not exited in time. */
  stop(): void {
    if (!this.child || this.child.exitCode !== null || this.stopTimer) return;
    this.child.send({ type: 'stop' });
    this.stopTimer = setTimeout(() => this.child?.kill('SIGKILL'), (this.opts.killAfterSeconds ?? 1.5) * 1000);
  }

  private start(resolve: (o: RunOutcome) => void): void {
    const child = fork(this.opts.workerPath, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ...this.opts.env },
      serialization: 'json',
    });
    this.child = child;
    const passThrough = debugging({ ...process.env, ...this.opts.env });
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-STDERR_TAIL);
      if (passThrough) process.stderr.write(d);
    });
    child.on('message', (raw) => this.onMessage(raw));
    // 'error' also fires when a message cannot be sent to a worker that just died; the exit
    // code then says more, so the error is kept as context rather than as the outcome.
    child.on('error', (err) => {
      this.processError = err.message;
    });
    child.on('exit', (code, signal) => {
      if (this.stopTimer) clearTimeout(this.stopTimer);
      resolve(this.outcome ?? this.exitOutcome(code, signal));
    });
  }

  private onMessage(raw: unknown): void {
    const msg = parseFromWorker(raw);
    if (!msg) {
      this.outcome = { state: 'failed', category: 'internal', message: `worker sent an unexpected message (protocol v${WORKER_PROTOCOL_VERSION} expected): ${JSON.stringify(raw).slice(0, 200)}` };
      this.child?.kill('SIGKILL');
      return;
    }
    if (msg.type === 'ready') {
      this.child?.send({
        type: 'start',
        version: WORKER_PROTOCOL_VERSION,
        spec: this.opts.spec,
        runDir: this.opts.runDir,
        resume: this.opts.resume,
        ...(this.opts.by ? { by: this.opts.by } : {}),
        ...(this.opts.pauseAfter ? { pauseAfter: this.opts.pauseAfter } : {}),
      });
    } else if (msg.type === 'stopped') {
      this.outcome = { state: 'stopped', epoch: msg.epoch };
    } else if (msg.type === 'failed') {
      this.outcome = { state: 'failed', category: msg.category, message: msg.message };
    } else if (msg.type === 'train' && msg.event.type === 'finished') {
      this.outcome = { state: 'done' };
    }
    this.engine.seen(msg);
    this.opts.onMessage(msg);
  }

  private exitOutcome(code: number | null, signal: NodeJS.Signals | null): RunOutcome {
    if (this.stopTimer) return { state: 'stopped', epoch: -1 };
    if (code === null && signal === null && this.processError) return { state: 'failed', category: 'crash', message: `could not start the worker: ${this.processError}` };
    return nativeCrashOutcome(signal, this.engine, this.opts.spec.runId, { ...process.env, ...this.opts.env }, stderrContext(this.stderr)) ?? deathOutcome(code, signal, this.stderr);
  }
}

/** Node's own words when a heap runs out: the only evidence that a worker died of memory. */
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit|Allocation failed|FATAL ERROR: .*(?:memory|allocation)/i;
/** Lines that say nothing about a death: TensorFlow.js's start-up banner (the cpu backend's advice to install tfjs-node). */
const NOISE = /^=+$|looks like you are running TensorFlow\.js in Node\.js|tfjs-node for more details/i;

/** The last lines of a worker's output, without the banner, as ":\n<lines>" ('' when none). */
/** NODE_DEBUG=losslab: the worker's debug notes (step replay) reach this process's stderr. */
function debugging(env: NodeJS.ProcessEnv): boolean {
  return /\blosslab\b/.test(env.NODE_DEBUG ?? '');
}

function stderrContext(stderr: string): string {
  const tail = stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !NOISE.test(l.trim()))
    .slice(-8)
    .join('\n');
  return tail ? `:\n${tail}` : '';
}

/**
 * How a worker that sent no end message died: a signal is named as such (SIGKILL from another process,
 * or on Linux from the kernel's out-of-memory killer, which leaves no trace in the worker's output);
 * out-of-memory only where its output says so; the last lines of its output, without the banner, as context.
 */
export function deathOutcome(code: number | null, signal: NodeJS.Signals | null, stderr: string): Extract<RunOutcome, { state: 'failed' }> {
  const context = stderrContext(stderr);
  if (OUT_OF_MEMORY.test(stderr)) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return { state: 'failed', category: 'out-of-memory', message: `the training worker ran out of memory and ${how} (try a smaller batchSize or width, or fewer parallel runs)${context}` };
  }
  if (signal) {
    const who = signal === 'SIGKILL' ? ' (by another process or by the system; on Linux `dmesg` shows whether the out-of-memory killer sent it)' : '';
    return { state: 'failed', category: 'killed', message: `the training worker was killed by ${signal}${who}; finished epochs are kept, run it again to resume${context}` };
  }
  return { state: 'failed', category: 'crash', message: `the training worker exited with code ${code}${context}` };
}
