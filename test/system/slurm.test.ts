/**
 * The SLURM executor against a real one-node SLURM (munged, slurmctld, slurmd on this machine,
 * started here by scripts/slurm/start-test-cluster.sh, which installs Debian's packages when
 * missing). Every grid is tiny (simple-cnn ×0.25 on a few hundred Fashion-MNIST images, wasm)
 * so each submission takes seconds. Nothing is skipped: without root, the packages or the
 * dataset, the tests fail and say why.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRun } from '../../src/core/results/runReader';
import { readSubmissions } from '../../src/host/slurm/slurmJobs';
import { renderTable } from '../../src/cli/tableCommand';
import { FASHION_MNIST, tempDir } from './helpers';
import { epochsOf, testCluster, results, slurmKit, stepsOf, taskOf, until } from './slurmKit';

const root = tempDir('losslab-slurm-');
const env = testCluster(root);

const training = { batchSize: 64, lr: 0.05, milestones: [], augment: { crop: false, padding: 4, flip: true }, logEvery: 2 };
const model = [{ name: 'simple-cnn', width: 0.25 }];
/** A small grid: 2 losses × 2 seeds. */
const GRID = {
  name: 'grid',
  dataset: { name: 'fashion-mnist', trainSubset: 512, testSubset: 256, shuffleSubset: true },
  models: model,
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }],
  seeds: [1, 2],
  training: { ...training, epochs: 2 },
  backend: 'wasm',
};
/** Long enough epochs (about 2 s each) to interrupt a run between them. */
const LONG = {
  name: 'long',
  dataset: { name: 'fashion-mnist', trainSubset: 1024, testSubset: 256, shuffleSubset: true },
  models: model,
  losses: [{ name: 'ce' }],
  seeds: [1, 2],
  training: { ...training, epochs: 4 },
  backend: 'wasm',
};
const LONG_RUN = 'simple-cnn-w0.25__ce__seed1';

const { writeConfig, cli, slurm, startIfPending, jobState } = slurmKit(root, env);

/** The run of LONG trained once, locally and without interruption: what every interrupted one must match. */
let reference: ReturnType<typeof results> | undefined;
let referenceSteps: ReturnType<typeof stepsOf> | undefined;
async function referenceResults(): Promise<ReturnType<typeof results>> {
  if (!reference) {
    const out = path.join(root, 'reference');
    const r = cli(['run-one', writeConfig('long', LONG), '--run', LONG_RUN, '--out', out]);
    assert.equal(await r.code, 0, r.output());
    reference = results(path.join(out, 'long', LONG_RUN));
    referenceSteps = stepsOf(path.join(out, 'long', LONG_RUN));
    assert.equal(reference.length, 4);
    assert.ok(referenceSteps.length >= 4, `${referenceSteps.length} step points`);
  }
  return reference;
}

test('a 2 losses × 2 seeds grid through SLURM gives the same table (and epochs) as run locally', async () => {
  const config = writeConfig('grid', GRID);
  const local = cli(['run', config, '--executor', 'local', '--parallel', '2', '--out', path.join(root, 'local')]);
  assert.equal(await local.code, 0, local.output());
  const viaSlurm = cli(['run', config, '--executor', 'slurm', '--out', path.join(root, 'slurm')]);
  assert.equal(await viaSlurm.code, 0, viaSlurm.output());

  const out = viaSlurm.output();
  assert.match(out, /submitted 4 runs of 'grid' as SLURM job array \d+/);
  assert.match(out, /simple-cnn-w0\.25__ce__seed1: RUNNING on localhost/);
  assert.match(out, /PENDING \(Resources\)/, 'two 1-CPU tasks fill the 2-CPU node; the others wait');
  assert.match(out, /Loss Lab: 4 COMPLETED/);
  const localDir = path.join(root, 'local', 'grid');
  const slurmDir = path.join(root, 'slurm', 'grid');
  assert.equal(renderTable(slurmDir).text, renderTable(localDir).text);
  for (const runId of readSubmissions(slurmDir)[0].runIds) assert.deepEqual(results(path.join(slurmDir, runId)), results(path.join(localDir, runId)), runId);

  // The job script is kept to read and resubmit; status reattaches from the folder alone.
  const script = readFileSync(path.join(slurmDir, 'slurm', 'array-1.sh'), 'utf8');
  assert.match(script, /#SBATCH --array=0-3\n/);
  const status = cli(['status', slurmDir]);
  assert.equal(await status.code, 0);
  assert.equal(status.output().match(/: COMPLETED, 2\/2 epochs/g)?.length, 4, status.output());
  // Nothing left to do: a rerun submits nothing.
  const again = cli(['run', config, '--executor', 'slurm', '--out', path.join(root, 'slurm')]);
  assert.equal(await again.code, 0, again.output());
  assert.match(again.output(), /nothing to submit/);
  assert.equal(readSubmissions(slurmDir).length, 1);
});

test('the submitter gone, status reattaches; scancel of one task: that run is CANCELLED with its epochs kept; the rerun submits only it, and it resumes', async () => {
  const config = writeConfig('long', LONG);
  const out = path.join(root, 'cancel');
  const experimentDir = path.join(out, 'long');
  const runDir = path.join(experimentDir, LONG_RUN);
  const first = cli(['run', config, '--executor', 'slurm', '--out', out]);
  const task = await until('the task to be submitted', () => taskOf(experimentDir, LONG_RUN));
  await until('its first epoch', () => existsSync(runDir) && epochsOf(runDir).length >= 1);
  // The submitting shell goes away (a closed laptop): SLURM trains on.
  first.kill('SIGKILL');
  await first.code;
  // Watching starts first: on a loaded machine the refused local run below can take as long as the rest of the run.
  const watch = cli(['status', experimentDir, '--watch']);
  const local = cli(['run', config, '--executor', 'local', '--out', out]);
  assert.equal(await local.code, 1, local.output());
  assert.match(local.output(), new RegExp(`^losslab: [12] run\\(s\\) of 'long' are still (queued or running|running) on SLURM \\(tasks ${task}( \\d+_1)?\\); a local run would train them twice`));
  await until('status to reattach', () => watch.output().includes(`${LONG_RUN}: RUNNING on localhost`));
  slurm('scancel', task);
  assert.equal(await watch.code, 0, watch.output());
  const kept = epochsOf(runDir).length;
  assert.ok(kept >= 1 && kept < 4, `${kept} epochs kept`);
  assert.match(watch.output(), new RegExp(`${LONG_RUN}: CANCELLED: ${kept} finished epochs? kept`));
  assert.match(watch.output(), /simple-cnn-w0\.25__ce__seed2: COMPLETED, 4\/4 epochs/, 'the other run is unaffected');
  assert.equal(readRun(runDir).status?.state, 'stopped');

  const second = cli(['run', config, '--executor', 'slurm', '--out', out]);
  assert.equal(await second.code, 0, second.output());
  assert.match(second.output(), /simple-cnn-w0\.25__ce__seed2: already done, not submitted/);
  assert.match(second.output(), /submitted 1 run of 'long'/);
  assert.deepEqual(readSubmissions(experimentDir).at(-1)?.runIds, [LONG_RUN]);
  const log = readFileSync(path.join(experimentDir, 'slurm', 'logs', `${taskOf(experimentDir, LONG_RUN)}.log`), 'utf8');
  assert.match(log, new RegExp(`resumed from epoch ${kept} of 4`));
  assert.deepEqual(results(runDir), await referenceResults(), 'the resumed run ends exactly as an uninterrupted one');
  assert.deepEqual(stepsOf(runDir), referenceSteps, 'its step points too, each step once');
});

test('SIGTERM (as on preemption or a time limit) with --requeue: the task checkpoints, requeues itself and resumes to the same metrics', async () => {
  const config = writeConfig('long', LONG);
  const out = path.join(root, 'requeue');
  const experimentDir = path.join(out, 'long');
  const runDir = path.join(experimentDir, LONG_RUN);
  const run = cli(['run', config, '--executor', 'slurm', '--requeue', '--out', out]);
  const task = await until('the task to be submitted', () => taskOf(experimentDir, LONG_RUN));
  await until('its first epoch', () => existsSync(runDir) && epochsOf(runDir).length >= 1);
  // A bare signal to the running task, as SLURM sends before preempting it or at --signal's warning time.
  slurm('scancel', '--signal=TERM', '--full', task);
  await until('the task to be requeued', () => /PENDING/.test(slurm('squeue', '-h', '-j', task, '-o', '%T')));
  const kept = epochsOf(runDir).length;
  assert.ok(kept >= 1 && kept < 4, `${kept} epochs kept`);
  assert.equal(readRun(runDir).hasCheckpoint, true);
  // The watcher must report the wait: SLURM holds a requeued job back (BeginTime) until the test
  // releases it, which it does only once the watcher has said so; on a fast machine a task released
  // at once can start again between two polls. (Its reason may not be set yet at that poll.)
  await until('the watcher to see it wait again', () => new RegExp(`${LONG_RUN}: PENDING( \\(\\w+\\))?, ${kept}/4 epochs done`).test(run.output()));
  await until('the requeued task to start', () => (startIfPending(task), !/PENDING/.test(slurm('squeue', '-h', '-j', task, '-o', '%T'))), 120);
  assert.equal(await run.code, 0, run.output());
  const log = readFileSync(path.join(experimentDir, 'slurm', 'logs', `${task}.log`), 'utf8');
  assert.match(log, /SIGTERM: stopping after the current step/);
  assert.match(log, /requeued task/);
  assert.match(log, /attempt 2/);
  assert.match(log, new RegExp(`resumed from epoch ${kept} of 4`));
  assert.deepEqual(results(runDir), await referenceResults());
  assert.deepEqual(stepsOf(runDir), referenceSteps, 'its step points too, each step once');
});

test('the array script resubmitted by hand while its task trains: the new task is refused (locked), touches nothing, and the first finishes alone', async () => {
  const config = writeConfig('resubmit', { ...LONG, name: 'resubmit', seeds: [1] });
  const out = path.join(root, 'resubmit');
  const experimentDir = path.join(out, 'resubmit');
  const runDir = path.join(experimentDir, LONG_RUN);
  const run = cli(['run', config, '--executor', 'slurm', '--out', out]);
  const task = await until('the task to be submitted', () => taskOf(experimentDir, LONG_RUN));
  await until('its first epoch', () => existsSync(runDir) && epochsOf(runDir).length >= 1);
  // Held still (its worker and run-one, as the run lock names them), so the second task surely meets it mid-run.
  const holder = JSON.parse(readFileSync(path.join(runDir, '.losslab.lock.json'), 'utf8')) as { pid: number; parentPid: number };
  const hold = (signal: NodeJS.Signals) => [holder.pid, holder.parentPid].forEach((pid) => process.kill(pid, signal));
  hold('SIGSTOP');
  try {
    const metrics = readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8');
    const again = /Submitted batch job (\d+)/.exec(slurm('sbatch', path.join(experimentDir, 'slurm', 'array-1.sh')))?.[1];
    assert.ok(again, 'sbatch printed the job id');
    const log = path.join(experimentDir, 'slurm', 'logs', `${again}_0.log`);
    await until('the resubmitted task to be refused', () => existsSync(log) && /FAILED/.test(readFileSync(log, 'utf8')), 120);
    const refusal = readFileSync(log, 'utf8');
    assert.match(
      refusal,
      new RegExp(
        `losslab run-one: ${LONG_RUN} FAILED \\(locked\\): run '${LONG_RUN}' is already being trained \\(losslab run-one \\(SLURM task ${task}\\), pid ${holder.pid} \\(started by pid ${holder.parentPid}\\) on host `,
      ),
    );
    assert.doesNotMatch(refusal, /\n\s+at /, 'no stack trace');
    await until('the refused task to leave the queue', () => spawnSync('squeue', ['-h', '-j', again], { env: env(), encoding: 'utf8' }).stdout.trim() === '', 60);
    assert.equal(readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8'), metrics, 'the run was left to its holder');
  } finally {
    hold('SIGCONT');
  }
  assert.equal(await run.code, 0, run.output());
  assert.doesNotMatch(run.output(), /lost the lock/);
  assert.deepEqual(results(runDir), await referenceResults());
  assert.deepEqual(stepsOf(runDir), referenceSteps, 'each step once');
});

test('a task whose dataset is missing on the node is FAILED with the error line of its log; the other task is unaffected', async () => {
  // The dataset exists when the grid is submitted and vanishes before the second task starts (maxConcurrent 1).
  const data = path.join(root, 'vanishing-data');
  mkdirSync(data);
  cpSync(FASHION_MNIST, data, { recursive: true });
  const config = writeConfig('vanish', { ...GRID, name: 'vanish', dataset: { ...GRID.dataset, path: data }, losses: [{ name: 'ce' }], executor: { type: 'slurm', maxConcurrent: 1 } });
  const out = path.join(root, 'vanish');
  const experimentDir = path.join(out, 'vanish');
  const run = cli(['run', config, '--out', out]);
  await until('the first run to load its data', () => readRun(path.join(experimentDir, 'simple-cnn-w0.25__ce__seed1')).status?.state === 'running');
  rmSync(data, { recursive: true });
  assert.equal(await run.code, 1, run.output());
  const output = run.output();
  assert.match(output, /simple-cnn-w0\.25__ce__seed1: COMPLETED, 2\/2 epochs/);
  const failed = /simple-cnn-w0\.25__ce__seed2: FAILED: (.*)/.exec(output);
  assert.ok(failed, output);
  assert.ok(failed[1].includes(data), `the error line names the missing folder: ${failed[1]}`);
  const log = readFileSync(path.join(experimentDir, 'slurm', 'logs', `${taskOf(experimentDir, 'simple-cnn-w0.25__ce__seed2')}.log`), 'utf8');
  assert.ok(log.includes(failed[1].replace(/ \[\d+_\d+\], log .*$/, '')), 'quoted from the log');
  assert.match(failed[1], /, log vanish\/vanish\/slurm\/logs\/\d+_1\.log$/, "the node's log named");
  assert.match(output, /1 of 2 runs did not finish/);
});

test('--detach returns once submitted; setup lines run first; threads follow cpusPerRun; status --watch reattaches, and an unreachable controller is not a forgotten task', async () => {
  const config = writeConfig('detach', {
    ...GRID,
    name: 'detach',
    losses: [{ name: 'ce' }],
    seeds: [1],
    executor: { type: 'slurm', cpusPerRun: 2, extraSbatch: ['--begin=now+600'], setup: ['export LOSSLAB_TEST_SETUP=yes', 'echo "setup ran in $(pwd), $LOSSLAB_TEST_SETUP"'] },
  });
  const out = path.join(root, 'detach');
  const experimentDir = path.join(out, 'detach');
  const run = cli(['run', config, '--detach', '--out', out]);
  assert.equal(await run.code, 0, run.output());
  assert.match(run.output(), new RegExp(`Detached: SLURM runs the array on its own; reattach with: losslab status ${experimentDir} --watch`));
  assert.doesNotMatch(run.output(), /COMPLETED|Loss Lab: \d/, 'no watching, no table');
  const task = taskOf(experimentDir, 'simple-cnn-w0.25__ce__seed1')!;
  assert.ok(slurm('squeue', '-h', '-r', '-t', 'all', '-j', task.split('_')[0], '-o', '%T').trim(), 'the array is in the queue');

  // Meanwhile the controller is out of reach (a wrong port): said so, exit 1, never "SLURM no longer knows".
  const conf = readFileSync(String(env().SLURM_CONF), 'utf8').replace(/^SlurmctldPort=.*$/m, 'SlurmctldPort=1');
  const badConf = path.join(root, 'unreachable.conf');
  writeFileSync(badConf, conf);
  const lost = cli(['status', experimentDir], { SLURM_CONF: badConf });
  assert.equal(await lost.code, 1, lost.output());
  assert.match(lost.output(), /simple-cnn-w0\.25__ce__seed1: UNREACHABLE: cannot reach the SLURM controller \(.*\); task \d+_0 may still be queued or running/);
  assert.doesNotMatch(lost.output(), /no longer knows/);

  // Held back by --begin until now, so the unreachable controller met a run that was not done.
  slurm('scontrol', 'update', `JobId=${task}`, 'StartTime=now');
  const watch = cli(['status', experimentDir, '--watch']);
  assert.equal(await watch.code, 0, watch.output());
  assert.match(watch.output(), /simple-cnn-w0\.25__ce__seed1: COMPLETED, 2\/2 epochs/);
  const log = readFileSync(path.join(experimentDir, 'slurm', 'logs', `${task}.log`), 'utf8');
  assert.ok(log.includes(`setup ran in ${root}, yes`), log);
  const runConfig = JSON.parse(readFileSync(path.join(experimentDir, 'simple-cnn-w0.25__ce__seed1', 'config.json'), 'utf8')) as { threads?: number };
  assert.equal(runConfig.threads, 2, 'trained on the 2 cores it reserved');
});

test('every task failing at a setup line: each FAILED with that line and its log, and no "no runs found"', async () => {
  const config = writeConfig('setupfail', { ...GRID, name: 'setupfail', losses: [{ name: 'ce' }], executor: { type: 'slurm', setup: ['module-that-does-not-exist load cuda'] } });
  const out = path.join(root, 'setupfail');
  const run = cli(['run', config, '--out', out]);
  assert.equal(await run.code, 1, run.output());
  for (const seed of [1, 2]) {
    assert.match(
      run.output(),
      new RegExp(
        `simple-cnn-w0\\.25__ce__seed${seed}: FAILED: losslab: setup line FAILED \\(exit 127\\): module-that-does-not-exist load cuda \\[\\d+_${seed - 1}\\], log setupfail/setupfail/slurm/logs/\\d+_${seed - 1}\\.log`,
      ),
      run.output(),
    );
  }
  assert.doesNotMatch(run.output(), /no runs found/);
  assert.match(run.output(), /2 of 2 runs did not finish/);
});

test('SIGTERM with --requeue past maxRequeues: the task stops with one line instead of requeueing', async () => {
  const config = writeConfig('capped', { ...LONG, name: 'capped', seeds: [1], executor: { type: 'slurm', maxRequeues: 0 } });
  const out = path.join(root, 'capped');
  const experimentDir = path.join(out, 'capped');
  const runDir = path.join(experimentDir, LONG_RUN);
  const run = cli(['run', config, '--requeue', '--out', out]);
  const task = await until('the task to be submitted', () => taskOf(experimentDir, LONG_RUN));
  await until('its first epoch', () => existsSync(runDir) && epochsOf(runDir).length >= 1);
  slurm('scancel', '--signal=TERM', '--full', task);
  assert.equal(await run.code, 1, run.output());
  assert.match(run.output(), new RegExp(`${LONG_RUN}: STOPPED: not requeued: the task was requeued 0 times already \\(executor.maxRequeues 0\\)`));
  const log = readFileSync(path.join(experimentDir, 'slurm', 'logs', `${task}.log`), 'utf8');
  assert.doesNotMatch(log, /requeued task/);
});

test('a requeued attempt stopped before it finished an epoch: no further requeue, one line saying why', async () => {
  // Epochs four times LONG's, so that on an idle machine neither signal lands after the run's last epoch.
  const dataset = { ...LONG.dataset, trainSubset: 4096 };
  const config = writeConfig('noprogress', { ...LONG, name: 'noprogress', dataset, seeds: [1], executor: { type: 'slurm' } });
  const out = path.join(root, 'noprogress');
  const experimentDir = path.join(out, 'noprogress');
  const runDir = path.join(experimentDir, LONG_RUN);
  const run = cli(['run', config, '--requeue', '--out', out]);
  const task = await until('the task to be submitted', () => taskOf(experimentDir, LONG_RUN));
  const logFile = path.join(experimentDir, 'slurm', 'logs', `${task}.log`);
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  await until('its first epoch', () => existsSync(runDir) && epochsOf(runDir).length >= 1);
  slurm('scancel', '--signal=TERM', '--full', task);
  await until('the task to be requeued', () => /PENDING/.test(slurm('squeue', '-h', '-j', task, '-o', '%T')));
  // The second attempt is stopped as soon as it trains, before its first epoch ends (2–8 s). Should
  // every release be lost, SLURM still starts it at the BeginTime the requeue set.
  await until(
    'the second attempt to resume',
    () => {
      startIfPending(task);
      return /attempt 2[\s\S]*resumed from epoch/.test(log());
    },
    200,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; the task: ${jobState(task)}`);
  });
  const kept = epochsOf(runDir).length;
  slurm('scancel', '--signal=TERM', '--full', task);
  assert.equal(await run.code, 1, run.output());
  assert.equal(epochsOf(runDir).length, kept, 'the second attempt finished no epoch');
  assert.match(run.output(), new RegExp(`${LONG_RUN}: STOPPED: not requeued: no epoch finished since the last requeue; raise executor.time or lower executor.signalMargin`));
  assert.doesNotMatch(log(), /attempt 3/);
});

test('a machine without sbatch: one line naming what is missing, nothing submitted', async () => {
  const r = cli(['run', writeConfig('grid', GRID), '--executor', 'slurm', '--out', path.join(root, 'nosbatch')], { PATH: '/nonexistent' });
  assert.equal(await r.code, 1);
  assert.equal(r.output().trim().split('\n').length, 1, r.output());
  assert.match(r.output(), /^losslab: the SLURM executor needs sbatch, squeue, scancel, sinfo, not found on PATH \(\/nonexistent\)/);
  assert.deepEqual(readSubmissions(path.join(root, 'nosbatch', 'grid')), []);
});
