import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../../../src/core/config/grid';
import { validateConfig } from '../../../../src/core/config/validate';
import { SlurmExecutor } from '../../../../src/host/slurm/slurmExecutor';
import { SlurmError } from '../../../../src/host/slurm/slurmTools';

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
