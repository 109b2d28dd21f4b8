import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobScript, sbatchOptions, shellQuote, type JobScriptInput } from '../../../../src/host/slurm/jobScript';

const input: JobScriptInput = {
  experiment: 'grid',
  executor: { type: 'slurm' },
  threads: 2,
  runIds: ['a__ce__seed1', 'a__ce__seed2'],
  logDir: '/shared/runs/grid/slurm/logs',
  configFile: '/shared/runs/grid/slurm/config.losslab.json',
  workDir: '/shared/runs/grid',
  nodePath: '/usr/bin/node',
  cliPath: '/opt/loss lab/dist/cli.js',
  requeue: false,
};

test('one array task per run, logs per task, cpus from threads, no requeue by default', () => {
  assert.deepEqual(sbatchOptions(input), [
    '--job-name=losslab-grid',
    '--array=0-1',
    '--output=/shared/runs/grid/slurm/logs/%A_%a.log',
    '--open-mode=append',
    '--ntasks=1',
    '--cpus-per-task=2',
    '--no-requeue',
  ]);
});

test('every executor field becomes its sbatch option; maxConcurrent throttles the array', () => {
  const opts = sbatchOptions({
    ...input,
    requeue: true,
    executor: { type: 'slurm', partition: 'gpu', gpusPerRun: 1, cpusPerRun: 8, memory: '16G', time: '12:00:00', account: 'lab', qos: 'normal', maxConcurrent: 4, extraSbatch: ['--constraint=a100'] },
  });
  assert.ok(opts.includes('--array=0-1%4'));
  for (const o of ['--partition=gpu', '--gres=gpu:1', '--cpus-per-task=8', '--mem=16G', '--time=12:00:00', '--account=lab', '--qos=normal', '--requeue', '--signal=B:TERM@120', '--constraint=a100']) {
    assert.ok(opts.includes(o), o);
  }
  assert.ok(!opts.includes('--no-requeue'));
});

test('the script picks its run by SLURM_ARRAY_TASK_ID and execs run-one (so SIGTERM reaches Loss Lab)', () => {
  const text = jobScript({ ...input, requeue: true });
  assert.match(text, /^#!\/bin\/bash\n/);
  assert.match(text, /RUNS=\(\n {2}a__ce__seed1\n {2}a__ce__seed2\n\)/);
  assert.match(text, /RUN="\$\{RUNS\[\$SLURM_ARRAY_TASK_ID\]\}"/);
  assert.match(text, /\nexec \/usr\/bin\/node '\/opt\/loss lab\/dist\/cli.js' run-one \/shared\/runs\/grid\/slurm\/config.losslab.json --run "\$RUN" --requeue\n/);
  assert.throws(() => jobScript({ ...input, runIds: [] }));
});

test('shellQuote quotes what bash would split or expand', () => {
  assert.equal(shellQuote('/a/b-c_d.json'), '/a/b-c_d.json');
  assert.equal(shellQuote("it's $HOME"), `'it'\\''s $HOME'`);
});

test('signalMargin sets how long before the time limit a requeueing task is signalled', () => {
  const opts = sbatchOptions({ ...input, requeue: true, executor: { type: 'slurm', time: '2:00:00', signalMargin: 600 } });
  assert.ok(opts.includes('--signal=B:TERM@600'), opts.join(' '));
});

test('setup lines run before the task command, in the submitting folder; a failing one ends the task naming it', () => {
  const script = jobScript({ ...input, setupDir: '/home/me/proj', executor: { type: 'slurm', setup: ['module load cuda/12.1', 'source venv/bin/activate'] } });
  const lines = script.split('\n');
  const at = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
  assert.ok(at('cd /home/me/proj') < at('module load cuda/12.1 ||'));
  assert.ok(at('module load cuda/12.1 ||') < at('source venv/bin/activate ||'));
  assert.ok(at('source venv/bin/activate ||') < at('cd /shared/runs/grid'));
  assert.ok(at('cd /shared/runs/grid') < at('exec '));
  assert.match(script, /source venv\/bin\/activate \|\| \{ echo "losslab: setup line FAILED \(exit \$\?\): "'source venv\/bin\/activate'; exit 1; \}/);
  assert.doesNotMatch(jobScript(input), /setup/, 'none by default');
});

test("a search trial's job passes its rung to run-one: a requeued task runs the same line, so it pauses there too", () => {
  const text = jobScript({ ...input, runIds: ['a__ce__trial0'], requeue: true, pauseAfter: 3 });
  assert.match(text, /\nexec .* run-one \S+ --run "\$RUN" --requeue --pause-after 3\n/);
  assert.doesNotMatch(jobScript(input), /--pause-after/);
});
