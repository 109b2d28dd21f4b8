/**
 * The SLURM executor on a real three-node cluster on this machine (scripts/slurm/multinode-start.sh:
 * slurmctld in the root network namespace, one slurmd per node in a network namespace of its own,
 * all sharing the filesystem). A node dies mid-run (its slurmd and the task it started, killed at
 * once): SLURM marks it DOWN, the task is requeued or ends NODE_FAIL, and the run finishes
 * elsewhere with exactly the metrics of an uninterrupted run. Nothing is skipped: without root,
 * the packages or the dataset, the tests fail and say why.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSubmissions } from '../../src/host/slurm/slurmJobs';
import { tempDir } from './helpers';
import { epochsOf, results, slurmKit, stepsOf, taskOf, testCluster, until } from './slurmKit';

const root = tempDir('losslab-slurm-nodes-');
// Subnet and interface names of this cluster's own, so a concurrent one does not collide.
const net = 100 + Math.floor(Math.random() * 150);
const env = testCluster(root, {
  name: 'three-node test SLURM',
  start: 'scripts/slurm/multinode-start.sh',
  stop: 'scripts/slurm/multinode-stop.sh',
  startEnv: { LOSSLAB_MULTINODE_NET: String(net) },
  // The nodes are this machine, so its local disk is in fact shared (see docs/cluster.md).
  clientEnv: { LOSSLAB_SLURM_SHARED_FS: '1' },
});

/** Epochs of a few seconds each, so a node can be killed between the first and the last. */
const GRID = {
  name: 'nodes',
  dataset: { name: 'fashion-mnist', trainSubset: 1024, testSubset: 256, shuffleSubset: true },
  models: [{ name: 'simple-cnn', width: 0.25 }],
  losses: [{ name: 'ce' }],
  seeds: [1, 2],
  training: { batchSize: 64, lr: 0.05, milestones: [], augment: { crop: false, padding: 4, flip: true }, logEvery: 2, epochs: 3 },
  backend: 'wasm',
};
const RUN = 'simple-cnn-w0.25__ce__seed1';

const { writeConfig, cli, slurm, startIfPending } = slurmKit(root, env);

/** RUN trained once, locally and without interruption. */
let reference: { results: ReturnType<typeof results>; steps: ReturnType<typeof stepsOf> } | undefined;
async function referenceRun(): Promise<NonNullable<typeof reference>> {
  if (!reference) {
    const out = path.join(root, 'reference');
    const r = cli(['run-one', writeConfig('nodes', GRID), '--run', RUN, '--out', out]);
    assert.equal(await r.code, 0, r.output());
    const dir = path.join(out, 'nodes', RUN);
    reference = { results: results(dir), steps: stepsOf(dir) };
    assert.equal(reference.results.length, 3);
  }
  return reference;
}

/**
 * The node `task` runs on dies: its slurmd and every process it started (slurmstepd, the task)
 * are SIGKILLed at once, as a power cut would. Returns the node's name.
 */
function killNodeOf(task: string): string {
  const node = slurm('squeue', '-h', '-j', task, '-o', '%N').trim();
  assert.match(node, /^node[1-3]$/, `task ${task} runs on one node`);
  const pids = spawnSync('ip', ['netns', 'pids', `ll${net}${node}`], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);
  assert.ok(pids.length >= 2, `${node}'s slurmd and its task are running: ${pids.join(' ')}`);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  return node;
}

/** The killed run, as the epochs it kept when its node died. */
async function killMidRun(experimentDir: string): Promise<{ task: string; node: string; kept: number }> {
  const runDir = path.join(experimentDir, RUN);
  const task = await until('the task to be submitted', () => taskOf(experimentDir, RUN));
  await until('its first epoch', () => existsSync(runDir) && epochsOf(runDir).length >= 1, 120);
  // Each node has a hostname of its own: the lock the task leaves behind is another host's, whose pid cannot be asked.
  const holder = JSON.parse(readFileSync(path.join(runDir, '.losslab.lock.json'), 'utf8')) as { host: string };
  const node = killNodeOf(task);
  assert.equal(holder.host, node);
  const kept = epochsOf(runDir).length;
  assert.ok(kept >= 1 && kept < 3, `${kept} epochs kept`);
  return { task, node, kept };
}

/** Brings a dead node back (a new slurmd in its namespace), so the next test has three again. */
async function revive(node: string): Promise<void> {
  const r = spawnSync('nsenter', [`--net=/run/netns/ll${net}${node}`, 'unshare', '--uts', 'sh', '-c', 'hostname "$1" && exec /usr/sbin/slurmd -f "$2" -N "$1"', 'sh', node, String(env().SLURM_CONF)], {
    env: env(),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  await until(`${node} to be back`, () => /^(idle|mixed|allocated)/.test(slurm('sinfo', '-h', '-n', node, '-o', '%T').trim()), 60);
}

test('the partition has three nodes other than this machine: a results folder on a local disk is refused, naming them', async () => {
  const r = cli(['run', writeConfig('nodes', GRID), '--executor', 'slurm', '--out', path.join(root, 'refused')], { LOSSLAB_SLURM_SHARED_FS: '' });
  assert.equal(await r.code, 1, r.output());
  assert.match(r.output(), /the results folder .* is on a local .* filesystem of .*, but the default partition runs on node1, node2, node3: /);
  assert.deepEqual(readSubmissions(path.join(root, 'refused', 'nodes')), []);
});

test('a node dies mid-run with --requeue: SLURM requeues its task, which resumes on another node to the same metrics', async () => {
  const out = path.join(root, 'requeue');
  const experimentDir = path.join(out, 'nodes');
  const runDir = path.join(experimentDir, RUN);
  const run = cli(['run', writeConfig('nodes', GRID), '--executor', 'slurm', '--requeue', '--out', out]);
  const { task, node, kept } = await killMidRun(experimentDir);
  // SlurmdTimeout (10 s) passes, the node is DOWN and its task requeued, held back (BeginTime) a while.
  await until('the task to be requeued', () => /PENDING/.test(slurm('squeue', '-h', '-j', task, '-o', '%T')), 90);
  assert.match(slurm('sinfo', '-h', '-n', node, '-o', '%T'), /down/);
  // Released only once the watcher has reported the wait: a task released at once can start again between two polls.
  await until('the watcher to see it wait again', () => new RegExp(`${RUN}: PENDING( \\(\\w+\\))?, ${kept}/3 epochs done`).test(run.output()));
  await until('the requeued task to start', () => (startIfPending(task), !/PENDING/.test(slurm('squeue', '-h', '-j', task, '-o', '%T'))), 120);
  assert.equal(await run.code, 0, run.output());
  const output = run.output();
  assert.match(output, new RegExp(`${RUN}: RUNNING on ${node}, 0/3 epochs`));
  // After it waited again, it ran on a node that is up.
  const afterRequeue = output.slice(output.search(new RegExp(`${RUN}: PENDING[^\\n]*, ${kept}/3 epochs done`)));
  const resumedOn = [...afterRequeue.matchAll(new RegExp(`${RUN}: RUNNING on (node[1-3])`, 'g'))].map((m) => m[1]);
  assert.ok(resumedOn.length > 0 && resumedOn.every((n) => n !== node), `resumed on another node than ${node}:\n${output}`);
  assert.match(output, /Loss Lab: 2 COMPLETED/);
  const log = readFileSync(path.join(experimentDir, 'slurm', 'logs', `${task}.log`), 'utf8');
  assert.match(log, new RegExp(`on ${node}, attempt 1`));
  assert.match(log, /on node[1-3], attempt 2/);
  assert.doesNotMatch(log, /FAILED \(locked\)/, "the dead attempt's lock is taken over at once");
  assert.match(log, new RegExp(`resumed from epoch ${kept} of 3`));
  const ref = await referenceRun();
  assert.deepEqual(results(runDir), ref.results, 'the run ends exactly as an uninterrupted one');
  assert.deepEqual(stepsOf(runDir), ref.steps, 'its step points too, each step once');
  await revive(node);
});

test('a node dies mid-run without --requeue: the run is NODE_FAIL with its epochs kept; the same command resubmits it and it resumes to the same metrics', async () => {
  const config = writeConfig('nodes', GRID);
  const out = path.join(root, 'nodefail');
  const experimentDir = path.join(out, 'nodes');
  const runDir = path.join(experimentDir, RUN);
  const run = cli(['run', config, '--executor', 'slurm', '--out', out]);
  const { node, kept } = await killMidRun(experimentDir);
  assert.equal(await run.code, 1, run.output());
  assert.match(run.output(), new RegExp(`${RUN}: NODE_FAIL: node ${node} failed; ${kept} finished epochs? kept \\[\\d+_0\\]`));
  assert.match(run.output(), /simple-cnn-w0\.25__ce__seed2: COMPLETED, 3\/3 epochs/, 'the other run is unaffected');
  assert.match(run.output(), /1 of 2 runs did not finish; run the same command to resubmit them/);
  assert.equal(epochsOf(runDir).length, kept);

  const again = cli(['run', config, '--executor', 'slurm', '--out', out]);
  assert.equal(await again.code, 0, again.output());
  assert.match(again.output(), /submitted 1 run of 'nodes'/);
  assert.doesNotMatch(again.output(), new RegExp(`RUNNING on ${node}`), 'the dead node is not used');
  const log = readFileSync(path.join(experimentDir, 'slurm', 'logs', `${taskOf(experimentDir, RUN)}.log`), 'utf8');
  assert.match(log, new RegExp(`resumed from epoch ${kept} of 3`));
  const ref = await referenceRun();
  assert.deepEqual(results(runDir), ref.results, 'the resumed run ends exactly as an uninterrupted one');
  assert.deepEqual(stepsOf(runDir), ref.steps, 'its step points too, each step once');
  await revive(node);
});
