// What the SLURM system tests share: the CLI in a child process, SLURM's own commands, waiting,
// and the parts of a run that an interruption must not change.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readRun } from '../../src/core/results/runReader';
import { readSubmissions } from '../../src/host/slurm/slurmJobs';
import { FASHION_MNIST, requireBuild } from './helpers';

const CLI = path.resolve('dist/cli.js');

export interface CliRun {
  code: Promise<number>;
  output: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

/** A test SLURM's start and stop scripts, and what they and its clients need beyond the ports. */
export interface ClusterKind {
  name: string;
  start: string;
  stop: string;
  startEnv?: NodeJS.ProcessEnv;
  clientEnv?: NodeJS.ProcessEnv;
}

/** One slurmctld and one slurmd on this machine (scripts/slurm/start-test-cluster.sh). */
const ONE_NODE: ClusterKind = { name: 'test SLURM', start: 'scripts/slurm/start-test-cluster.sh', stop: 'scripts/slurm/stop-test-cluster.sh' };

/**
 * A test SLURM for one test file: started before its tests on ports of its own, so that a
 * developer's cluster or another test run does not collide, stopped after them with `root`
 * removed. Returns the environment SLURM's commands and the CLI need, once started.
 */
export function testCluster(root: string, kind: ClusterKind = ONE_NODE): () => NodeJS.ProcessEnv {
  const clusterDir = path.join(root, 'cluster');
  let env: NodeJS.ProcessEnv = {};
  before(() => {
    requireBuild();
    assert.ok(existsSync(FASHION_MNIST), `${FASHION_MNIST} is missing: apt-get install dataset-fashion-mnist (scripts/ensure-deps.sh does)`);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const started = spawnSync('bash', [kind.start, clusterDir], {
      encoding: 'utf8',
      env: { ...process.env, LOSSLAB_SLURMCTLD_PORT: String(port), LOSSLAB_SLURMD_PORT: String(port + 1), ...kind.startEnv },
    });
    assert.equal(started.status, 0, `the ${kind.name} did not start:\n${started.stdout}${started.stderr}`);
    env = { ...process.env, SLURM_CONF: path.join(clusterDir, 'slurm.conf'), LOSSLAB_POLL_SECONDS: '0.5', PATH: `${process.env.PATH}:/usr/sbin`, ...kind.clientEnv };
  });
  after(() => {
    spawnSync('bash', [kind.stop, clusterDir], { stdio: 'inherit' });
    if (process.env.LOSSLAB_KEEP_TEST_DIRS !== '1') rmSync(root, { recursive: true, force: true });
  });
  return () => env;
}

/** How long a requeued task stays held before a test releases it (see startIfPending). */
const SETTLE_MS = 3000;

/** The helpers bound to one test file's folder and cluster environment (set once the cluster runs). */
export function slurmKit(root: string, env: () => NodeJS.ProcessEnv) {
  let lastStart = 0;
  const pendingSince = new Map<string, number>();
  return {
    writeConfig: (name: string, config: object): string => {
      const file = path.join(root, `${name}.losslab.json`);
      writeFileSync(file, JSON.stringify(config, null, 2));
      return file;
    },
    cli: (args: string[], extraEnv: NodeJS.ProcessEnv = {}): CliRun => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { ...env(), ...extraEnv }, cwd: root });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      return { code: new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1))), output: () => output, kill: (s) => child.kill(s) };
    },
    /**
     * Clears a requeued task's hold (BeginTime) once it has been pending for a few seconds; for a
     * wait loop, since an update sent while the requeue is still being processed can be lost. The
     * hold is SLURM's time to clean up the attempt before: released at once, the next attempt can
     * be launched while the last one's step is still ending, and fail before its script runs. At
     * most every 2 s.
     */
    startIfPending: (task: string): void => {
      if (Date.now() - lastStart < 2000) return;
      lastStart = Date.now();
      const state = spawnSync('squeue', ['-h', '-j', task, '-o', '%T'], { env: env(), encoding: 'utf8' }).stdout ?? '';
      if (!/PENDING/.test(state)) {
        pendingSince.delete(task);
        return;
      }
      if (!pendingSince.has(task)) pendingSince.set(task, Date.now());
      if (Date.now() - pendingSince.get(task)! >= SETTLE_MS) spawnSync('scontrol', ['update', `JobId=${task}`, 'StartTime=now'], { env: env(), encoding: 'utf8' });
    },
    /** A task's state, reason and start time as the controller sees them: for a failure's message. */
    jobState: (task: string): string =>
      (spawnSync('scontrol', ['show', 'job', task], { env: env(), encoding: 'utf8' }).stdout ?? '')
        .split(/\s+/)
        .filter((f) => /^(JobState|Reason|StartTime|BeginTime|Restarts)=/.test(f))
        .join(' '),
    slurm: (command: string, ...args: string[]): string => {
      const r = spawnSync(command, args, { env: env(), encoding: 'utf8' });
      assert.equal(r.status, 0, `${command} ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    },
  };
}

export async function until<T>(what: string, probe: () => T | undefined | false, seconds = 60): Promise<T> {
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    const v = probe();
    if (v) return v;
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

export const epochsOf = (runDir: string) => readRun(runDir).metrics;
/** What an interruption must not change: every epoch's losses, accuracies and learning rate (not its timings). */
export const results = (runDir: string) => epochsOf(runDir).map(({ epoch, trainLoss, trainAcc, testLoss, testAcc, lr }) => ({ epoch, trainLoss, trainAcc, testLoss, testAcc, lr }));
/** The step points (steps.jsonl) without their wall time: a resumed run drops the interrupted epoch's and redoes them. */
export const stepsOf = (runDir: string) => (readRun(runDir, { steps: true }).steps ?? []).map(({ epoch, step, globalStep, loss, acc }) => ({ epoch, step, globalStep, loss, acc }));

/** The SLURM task (jobId_index) of the run's latest submission. */
export const taskOf = (experimentDir: string, runId: string) => {
  const s = readSubmissions(experimentDir).at(-1);
  const i = s?.runIds.indexOf(runId) ?? -1;
  return s && i >= 0 ? `${s.jobId}_${i}` : undefined;
};
