// Two writers on one run: while a `losslab run` trains (here held still with SIGSTOP, as Ctrl-Z
// does, so that it is mid-run whatever the machine's speed), a `run-one` of the same run or a
// second `run` of the same config is refused in one line naming the holder, touches nothing,
// and the first ends cleanly with every epoch once, however long it was stopped.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readRun } from '../../src/core/results/runReader';
import { HOST } from '../../src/core/results/processAlive';
import { FASHION_MNIST, gridOf, requireBuild, tempDir } from './helpers';

before(requireBuild);

const CLI = path.resolve('dist/cli.js');
const skip = !fs.existsSync(FASHION_MNIST) && 'dataset-fashion-mnist not installed';

function setUp() {
  const root = tempDir('losslab-two-writers-');
  const config = {
    name: 'two',
    dataset: { name: 'fashion-mnist', trainSubset: 1024, testSubset: 256 },
    models: [{ name: 'simple-cnn', width: 0.25 }],
    losses: [{ name: 'ce' }],
    seeds: [1],
    training: { epochs: 4, batchSize: 128, lr: 0.05, milestones: [2], augment: { crop: false, padding: 4, flip: false }, logEvery: 1 },
    backend: 'wasm',
    outputDir: path.join(root, 'runs'),
  };
  const file = path.join(root, 'two.losslab.json');
  fs.writeFileSync(file, JSON.stringify(config));
  const [spec] = gridOf(config);
  return { root, file, runId: spec.runId, runDir: path.join(root, 'runs', 'two', spec.runId) };
}

/** `losslab run` in its own process group, so that the group (CLI and worker) can be stopped like Ctrl-Z does. */
function startRun(file: string) {
  const child = spawn(process.execPath, [CLI, 'run', file], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, output: () => output };
}

const group = (child: ChildProcess, signal: NodeJS.Signals) => process.kill(-child.pid!, signal);

/** Waits until the run has finished its first epoch, then stops the whole group there. */
async function stopAfterEpoch1(run: ReturnType<typeof startRun>, runDir: string): Promise<void> {
  const metrics = path.join(runDir, 'metrics.jsonl');
  for (const end = Date.now() + 120_000; Date.now() < end; await sleep(25)) {
    if (run.child.exitCode !== null) assert.fail(`losslab run ended early:\n${run.output()}`);
    if (fs.existsSync(metrics) && fs.readFileSync(metrics, 'utf8').includes('\n')) {
      group(run.child, 'SIGSTOP');
      return;
    }
  }
  assert.fail('no epoch finished within 120 s');
}

/** Every file of the run folder with its bytes: what a refused writer must leave as it was. */
function snapshot(runDir: string): Map<string, string> {
  return new Map(fs.readdirSync(runDir).map((name) => [name, fs.statSync(path.join(runDir, name)).isDirectory() ? 'dir' : fs.readFileSync(path.join(runDir, name)).toString('base64')]));
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: '1' } });
}

/** After SIGCONT: the first run ends by itself, with each epoch once, no lost lock, and one event file. */
async function assertFirstFinishes(run: ReturnType<typeof startRun>, runDir: string): Promise<void> {
  group(run.child, 'SIGCONT');
  const [code] = await run.exited;
  assert.equal(code, 0, run.output());
  assert.doesNotMatch(run.output(), /lost the lock|FAILED/);
  const done = readRun(runDir);
  assert.equal(done.status?.state, 'done');
  assert.deepEqual(
    done.metrics.map((m) => m.epoch),
    [1, 2, 3, 4],
  );
  assert.equal(fs.readdirSync(runDir).filter((n) => n.startsWith('events.out.tfevents.')).length, 1, 'its event file is still there, alone');
  assert.ok(!fs.existsSync(path.join(runDir, '.losslab.lock')), 'the run lock is released');
}

const holderLine = (pid: string) => new RegExp(`pid ${pid}.* on host ${HOST.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, since \\d{4}-\\d\\d-\\d\\dT`);

test('run-one of a run that a live losslab run trains is refused in one line, and the run is left to it', { skip, timeout: 300_000 }, async () => {
  const { root, file, runId, runDir } = setUp();
  const first = startRun(file);
  try {
    await stopAfterEpoch1(first, runDir);
    const before = snapshot(runDir);

    const r = cli('run-one', file, '--run', runId);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const refusal = r.stdout.split('\n').filter((l) => l.includes('FAILED'));
    assert.equal(refusal.length, 1, r.stdout);
    assert.match(refusal[0], new RegExp(`^losslab run-one: ${runId} FAILED \\(locked\\): run '${runId}' is already being trained \\(losslab run, `));
    assert.match(refusal[0], holderLine(`\\d+ \\(started by pid ${first.child.pid}\\)`));
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(snapshot(runDir), before, 'the run folder is untouched');

    await assertFirstFinishes(first, runDir);
  } finally {
    if (first.child.exitCode === null) group(first.child, 'SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a losslab run stopped with SIGSTOP past the old 10 s stale age keeps its locks: a second run and a run-one are refused', { skip, timeout: 300_000 }, async () => {
  const { root, file, runId, runDir } = setUp();
  const first = startRun(file);
  try {
    await stopAfterEpoch1(first, runDir);
    const before = snapshot(runDir);
    await sleep(12_000);

    const second = cli('run', file);
    assert.equal(second.status, 1, second.stdout + second.stderr);
    assert.equal(second.stderr.trim().split('\n').length, 1, second.stderr);
    assert.match(second.stderr, /^losslab: experiment 'two' is already running \(losslab run, /);
    assert.match(second.stderr, holderLine(String(first.child.pid)));
    assert.doesNotMatch(second.stdout + second.stderr, /\n\s+at /, 'no stack trace');

    const one = cli('run-one', file, '--run', runId);
    assert.equal(one.status, 1, one.stdout + one.stderr);
    assert.match(one.stdout, /FAILED \(locked\): run '.*' is already being trained \(losslab run, /);
    assert.deepEqual(snapshot(runDir), before, 'the run folder is untouched');

    await assertFirstFinishes(first, runDir);
  } finally {
    if (first.child.exitCode === null) group(first.child, 'SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  }
});
