import { ChildProcess, fork } from 'node:child_process';
import type { RunSpec } from '../core/config/types';
import { FromWorker, parseFromWorker, ResumePolicy, WORKER_PROTOCOL_VERSION } from '../protocol/worker';

export type RunOutcome =
  | { state: 'done' }
  | { state: 'stopped'; epoch: number }
  | { state: 'failed'; category: string; message: string };

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
  readonly done: Promise<RunOutcome>;

  constructor(private readonly opts: WorkerRunOptions) {
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
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-STDERR_TAIL);
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
      this.child?.send({ type: 'start', version: WORKER_PROTOCOL_VERSION, spec: this.opts.spec, runDir: this.opts.runDir, resume: this.opts.resume });
    } else if (msg.type === 'stopped') {
      this.outcome = { state: 'stopped', epoch: msg.epoch };
    } else if (msg.type === 'failed') {
      this.outcome = { state: 'failed', category: msg.category, message: msg.message };
    } else if (msg.type === 'train' && msg.event.type === 'finished') {
      this.outcome = { state: 'done' };
    }
    this.opts.onMessage(msg);
  }

  private exitOutcome(code: number | null, signal: NodeJS.Signals | null): RunOutcome {
    if (this.stopTimer) return { state: 'stopped', epoch: -1 };
    if (code === null && signal === null && this.processError) return { state: 'failed', category: 'crash', message: `could not start the worker: ${this.processError}` };
    const tail = this.stderr.trim().split('\n').slice(-8).join('\n');
    const oom = /heap out of memory|Allocation failed|OOM/i.test(this.stderr) || signal === 'SIGKILL';
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return {
      state: 'failed',
      category: oom ? 'out-of-memory' : 'crash',
      message: `the training worker ${how}${oom ? ' (it likely ran out of memory: try a smaller batch or width)' : ''}${tail ? `:\n${tail}` : ''}`,
    };
  }
}
