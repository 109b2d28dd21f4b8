/**
 * The CLI inside the .vsix (dist/cli.js: what SLURM array tasks run), unpacked into a
 * temporary folder outside the repository and run with plain `node`: it must work with no
 * node_modules anywhere above it, on a config that trains a custom loss module.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractArchive } from '../../src/core/data/archive';
import { EXAMPLE_LOSS_MODULE } from '../../src/core/losses/customTemplate';
import type { SuiteReport } from '../../test/integration/index';
import { REPO } from './runIntegration';

/** Training one epoch of two small runs on a shared machine. */
const RUN_TIMEOUT_MS = 300_000;

/** The folder and every folder above it: none may hold a node_modules the CLI could resolve from. */
function assertNoNodeModulesAbove(dir: string): void {
  for (let d = dir; ; d = path.dirname(d)) {
    assert.ok(!fs.existsSync(path.join(d, 'node_modules')), `${d}/node_modules would be reachable from the unpacked CLI`);
    if (path.dirname(d) === d) break;
  }
}

function tinyConfig(): Record<string, unknown> {
  return {
    name: 'vsix-cli',
    dataset: { name: 'fashion-mnist', trainSubset: 256, testSubset: 128 },
    models: [{ name: 'simple-cnn', width: 0.25 }],
    losses: [{ name: 'ce' }, { name: 'custom', module: './losses/focal.ts', options: { gamma: 2 } }],
    seeds: [1],
    training: { epochs: 1, batchSize: 64, lr: 0.05, milestones: [] },
    backend: 'wasm',
    parallelRuns: 1,
  };
}

interface Step {
  name: string;
  run(): void;
}

function steps(root: string): Step[] {
  const unpacked = path.join(root, 'unpacked');
  const work = path.join(root, 'work');
  const cli = path.join(unpacked, 'extension', 'dist', 'cli.js');
  const config = path.join(work, 'tiny.losslab.json');
  // Only what a cluster node would have: no NODE_PATH, HOME in the folder (no ~/.node_modules).
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, LOSSLAB_NATIVE_DIR: path.join(root, 'native') };
  fs.mkdirSync(work, { recursive: true });
  const node = (args: string[], timeout = 60_000) => {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, env, encoding: 'utf8', timeout });
    assert.equal(r.status, 0, `node dist/cli.js ${args.join(' ')} exited ${r.status ?? r.signal ?? r.error?.message}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  return [
    {
      name: 'should print the version of the package',
      run() {
        const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
        assert.equal(node(['--version']).trim(), version);
      },
    },
    {
      name: 'should validate a config with a custom loss module',
      run() {
        fs.mkdirSync(path.join(work, 'losses'), { recursive: true });
        fs.writeFileSync(path.join(work, 'losses', 'focal.ts'), EXAMPLE_LOSS_MODULE);
        fs.writeFileSync(config, JSON.stringify(tinyConfig(), null, 2));
        const out = node(['validate', config]);
        assert.match(out, /valid, 2 runs/, out);
        assert.match(out, /__custom-focal-gamma2__seed1/, out);
      },
    },
    {
      name: 'should train the config, the custom loss included, and write each run’s results',
      run() {
        node(['run', config], RUN_TIMEOUT_MS);
        const experiment = path.join(work, '.losslab', 'runs', 'vsix-cli');
        const runs = fs.readdirSync(experiment).filter((d) => fs.existsSync(path.join(experiment, d, 'status.json')));
        assert.equal(runs.length, 2, `run folders: ${runs.join(', ')}`);
        assert.ok(
          runs.some((r) => r.includes('__custom-focal')),
          `no run of the custom loss: ${runs.join(', ')}`,
        );
        for (const run of runs) {
          const status = JSON.parse(fs.readFileSync(path.join(experiment, run, 'status.json'), 'utf8')) as { state: string };
          assert.equal(status.state, 'done', `${run}: ${JSON.stringify(status)}`);
          const summary = JSON.parse(fs.readFileSync(path.join(experiment, run, 'summary.json'), 'utf8')) as { finalTestAcc: number };
          assert.ok(summary.finalTestAcc > 0, `${run}: final test accuracy ${summary.finalTestAcc}`);
        }
      },
    },
  ];
}

export async function runVsixCli(vsix: string): Promise<SuiteReport> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-vsix-cli-')));
  const report: SuiteReport = { passed: 0, failed: 0, skipped: 0, tests: [] };
  try {
    // A .vsix is a zip whose extension/ folder is what VS Code installs.
    await extractArchive(vsix, 'zip', path.join(root, 'unpacked'), 'extension');
    assertNoNodeModulesAbove(path.join(root, 'unpacked', 'extension', 'dist'));
    for (const step of steps(root)) {
      const title = `vsix CLI: ${step.name}`;
      if (report.failed > 0) {
        report.skipped++;
        report.tests.push({ title, state: 'skipped' });
        continue;
      }
      const t0 = Date.now();
      try {
        step.run();
        report.passed++;
        report.tests.push({ title, state: 'passed', ms: Date.now() - t0 });
      } catch (e) {
        report.failed++;
        report.tests.push({ title, state: 'failed', ms: Date.now() - t0, error: (e as Error).stack ?? String(e) });
      }
      console.log(`  ${report.tests.at(-1)!.state === 'passed' ? '✔' : '✖'} ${title} (${Date.now() - t0} ms)`);
    }
  } finally {
    if (report.failed > 0 || process.env.LOSSLAB_E2E_KEEP) console.log(`  kept ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  }
  return report;
}
