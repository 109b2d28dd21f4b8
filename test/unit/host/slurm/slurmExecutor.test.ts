import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../../../src/core/config/grid';
import { validateConfig } from '../../../../src/core/config/validate';
import { SlurmExecutor } from '../../../../src/host/slurm/slurmExecutor';
import { SlurmError } from '../../../../src/host/slurm/slurmTools';
import { readSubmissions } from '../../../../src/host/slurm/slurmJobs';

test('--requeue on the command line with a time limit at or below the signal margin: refused in one line, nothing submitted', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'losslab-margin-'));
  try {
    // SLURM's client as present but never to be called: each one fails the test if it is.
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['sbatch', 'squeue', 'scancel', 'sinfo']) {
      writeFileSync(path.join(bin, tool), `#!/bin/sh\ntouch ${dir}/called-${tool}\nexit 1\n`);
      chmodSync(path.join(bin, tool), 0o755);
    }
    const config = validateConfig({ name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], executor: { type: 'slurm', time: '2' } });
    const experimentDir = path.join(dir, 'runs', 'x');
    const executor = new SlurmExecutor({ experimentDir, config, runs: expandGrid(config), cliPath: 'cli.js', requeue: true, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    await assert.rejects(
      executor.submit(expandGrid(config)),
      (e: unknown) => e instanceof SlurmError && /^executor.signalMargin 120 s is not below executor.time '2' \(2 min;/.test(e.message) && !e.message.includes('\n'),
    );
    assert.ok(!existsSync(path.join(dir, 'called-sbatch')) && !existsSync(path.join(dir, 'called-sinfo')));
    assert.ok(!existsSync(experimentDir), 'nothing written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('submissions made at once (a search deciding in several lanes) each keep their own script, runs and pause epoch', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'losslab-submits-'));
  try {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    // sbatch takes a while, then keeps a copy of the script it was given (as SLURM does) and answers the next job id.
    const tools: Record<string, string> = {
      sbatch: `sleep 0.3; n=$(cat ${dir}/n 2>/dev/null || echo 0); n=$((n + 1)); echo $n > ${dir}/n; cp "$2" ${dir}/job-$n.sh; echo $n`,
      squeue: 'exit 0',
      scancel: 'exit 0',
      sinfo: 'echo localhost',
    };
    for (const [tool, body] of Object.entries(tools)) {
      writeFileSync(path.join(bin, tool), `#!/bin/sh\n${body}\n`);
      chmodSync(path.join(bin, tool), 0o755);
    }
    const config = validateConfig({ name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], seeds: [1, 2, 3], executor: { type: 'slurm' } });
    const runs = expandGrid(config);
    const experimentDir = path.join(dir, 'runs', 'x');
    const executor = new SlurmExecutor({ experimentDir, config, runs, cliPath: 'cli.js', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, LOSSLAB_SLURM_SHARED_FS: '1' } });
    const results = await Promise.all(runs.map((r, i) => executor.submit([r], { pauseAfter: i + 1 })));
    assert.deepEqual(results.map((r) => r.jobId).sort(), ['1', '2', '3']);
    const submissions = readSubmissions(experimentDir);
    assert.equal(submissions.length, 3);
    for (const s of submissions) {
      const script = readFileSync(path.join(dir, `job-${s.jobId}.sh`), 'utf8');
      const i = runs.findIndex((r) => r.runId === s.runIds[0]);
      assert.match(script, new RegExp(`RUNS=\\(\\n  ${s.runIds[0]}\\n\\)`), `job ${s.jobId} trains the run it was recorded with`);
      assert.match(script, new RegExp(`--pause-after ${i + 1}\\n`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
