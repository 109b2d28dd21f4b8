import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCommand } from '../../../src/cli/runCommand';
import { UsageError } from '../../../src/cli/errors';
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
    await assert.rejects(runCommand({ configPath: 'x.losslab.json', config: cfg, outputDir: out, resume: 'resume', workerPath: '/nonexistent' }, () => undefined), UnsafePathError);
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing written anywhere');
  }),
);
