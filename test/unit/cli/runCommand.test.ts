import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCommand } from '../../../src/cli/runCommand';
import { renderTable } from '../../../src/cli/tableCommand';
import { UsageError, UserError } from '../../../src/cli/errors';
import { expandGrid } from '../../../src/core/config/grid';
import { openRunSink, writeExperimentManifest } from '../../../src/core/results/runSink';
import type { BackendName } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';
import { UnsafePathError } from '../../../src/core/results/paths';

const config = () => validateConfig({ name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 1, milestones: [1] } });

function withTemp(body: (dir: string) => Promise<void>) {
  return async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-runcmd-'));
    try {
      await body(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'an unknown backend is refused before anything is written, naming the allowed ones',
  withTemp(async (dir) => {
    const out = path.join(dir, 'runs');
    await assert.rejects(
      runCommand({ configPath: 'x.losslab.json', config: config(), backend: 'foo' as BackendName, outputDir: out, resume: 'resume', workerPath: '/nonexistent' }, () => undefined),
      (e: unknown) => e instanceof UsageError && /unknown backend 'foo' \(allowed: auto, .*wasm, cpu\)/.test(e.message),
    );
    assert.ok(!fs.existsSync(out));
  }),
);

test(
  'a name that escapes the output folder writes nothing, even when it bypassed validation',
  withTemp(async (dir) => {
    const out = path.join(dir, 'a', 'runs');
    const cfg = config();
    cfg.name = '..';
    await assert.rejects(
      runCommand({ configPath: 'x.losslab.json', config: cfg, outputDir: out, resume: 'resume', workerPath: '/nonexistent' }, () => undefined),
      UnsafePathError,
    );
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing written anywhere');
  }),
);

test(
  '--extend of a stale run whose lr changed is refused before anything is written, naming the run and why',
  withTemp(async (dir) => {
    const out = path.join(dir, 'runs');
    const old = validateConfig({ name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 2, lr: 0.1, milestones: [1] } });
    const experimentDir = path.join(out, 'x');
    const [spec] = expandGrid(old);
    writeExperimentManifest(experimentDir, old);
    const sink = openRunSink(path.join(experimentDir, spec.runId), spec);
    sink.epochFinished({ epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.5, lr: 0.1, seconds: 1, imagesPerSec: 1 }, new Uint8Array([1]));
    const manifestBefore = fs.readFileSync(path.join(experimentDir, 'experiment.json'), 'utf8');
    const edited = validateConfig({ ...old, training: { epochs: 3, lr: 0.2, milestones: [1] } });
    await assert.rejects(
      runCommand({ configPath: 'x.losslab.json', config: edited, outputDir: out, resume: 'resume', stale: 'extend', workerPath: '/nonexistent' }, () => undefined),
      (e: unknown) =>
        e instanceof UserError &&
        e.message === `${spec.runId} cannot be extended: training.lr 0.1 → 0.2 changed, which the finished epochs were not trained with; --retrain-stale trains the stale runs from scratch`,
    );
    assert.equal(fs.readFileSync(path.join(experimentDir, 'experiment.json'), 'utf8'), manifestBefore, 'experiment.json untouched');
  }),
);

test(
  'under SLURM, --restart, --no-resume, --extend and --retrain-stale are refused by name in one line, before anything is written',
  withTemp(async (dir) => {
    const out = path.join(dir, 'runs');
    const cases: [Partial<Parameters<typeof runCommand>[0]>, RegExp][] = [
      [{ resume: 'restart' }, /^--restart is not supported with the SLURM executor/],
      [{ resume: 'refuse' }, /^--no-resume is not supported/],
      [{ stale: 'extend' }, /^--extend is not supported/],
      [{ resume: 'restart', stale: 'retrain' }, /^--restart, --retrain-stale are not supported with the SLURM executor \(each task resumes its run where it stopped\): run with --executor local/],
    ];
    for (const [flags, message] of cases) {
      await assert.rejects(
        runCommand({ configPath: 'x.losslab.json', config: config(), executor: 'slurm', outputDir: out, resume: 'resume', workerPath: '/nonexistent', ...flags }, () => undefined),
        (e: unknown) => e instanceof UsageError && message.test(e.message) && !e.message.includes('\n'),
      );
    }
    assert.ok(!fs.existsSync(out));
  }),
);

test(
  'under SLURM, --parallel N becomes the array throttle (maxConcurrent)',
  withTemp(async (dir) => {
    const out = path.join(dir, 'runs');
    const savedPath = process.env.PATH;
    process.env.PATH = '/nonexistent'; // stops at sbatch, after the manifest is written
    try {
      await assert.rejects(
        runCommand({ configPath: 'x.losslab.json', config: config(), executor: 'slurm', parallel: 3, outputDir: out, resume: 'resume', workerPath: '/nonexistent' }, () => undefined),
        /needs sbatch/,
      );
    } finally {
      process.env.PATH = savedPath;
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'x', 'experiment.json'), 'utf8')) as { config: { executor: { maxConcurrent?: number } } };
    assert.equal(manifest.config.executor.maxConcurrent, 3);
  }),
);

test(
  '--detach without SLURM is refused in one line: a local run ends with its command',
  withTemp(async (dir) => {
    const out = path.join(dir, 'runs');
    await assert.rejects(
      runCommand({ configPath: 'x.losslab.json', config: config(), detach: true, outputDir: out, resume: 'resume', workerPath: '/nonexistent' }, () => undefined),
      (e: unknown) => e instanceof UsageError && /^--detach needs the SLURM executor/.test(e.message),
    );
    assert.ok(!fs.existsSync(out));
  }),
);

test(
  'a backend failure before any run file ends with the failure, not with "no runs found"',
  withTemp(async (dir) => {
    const out = path.join(dir, 'runs');
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string) => (stderr.push(String(chunk)), true);
    let code: number;
    try {
      code = await runCommand({ configPath: 'x.losslab.json', config: config(), outputDir: out, resume: 'resume', workerPath: path.resolve('test/fixtures/workers/backendFailingWorker.js') }, (d) =>
        renderTable(d),
      );
    } finally {
      process.stderr.write = write;
    }
    assert.equal(code, 1);
    assert.equal(stderr.join(''), '3 of 3 runs failed; see the messages above.\n');
  }),
);

test(
  'a search with --detach is refused in one line before anything is written: its driver must stay to promote trials',
  withTemp(async (dir) => {
    const out = path.join(dir, 'runs');
    const search = validateConfig({
      name: 's',
      dataset: { name: 'mnist', validation: 0.2 },
      models: [{ name: 'simple-cnn' }],
      losses: [{ name: 'ce' }],
      training: { epochs: 3, milestones: [], lr: { log: [0.01, 0.2] } },
      search: { trials: 3 },
    });
    await assert.rejects(
      runCommand({ configPath: 's.losslab.json', config: search, executor: 'slurm', detach: true, outputDir: out, resume: 'resume', workerPath: '/nonexistent' }, () => undefined),
      (e: unknown) => e instanceof UsageError && /^--detach cannot leave a search to SLURM: its driver promotes trials/.test(e.message) && !e.message.includes('\n'),
    );
    assert.ok(!fs.existsSync(out));
  }),
);
