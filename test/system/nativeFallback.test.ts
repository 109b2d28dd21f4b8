// A machine without the native engine still trains, on wasm, and the run says why the
// engine was passed over and what builds it. The engine is hidden by pointing its build folder
// at an empty one, as on a machine where it was never built.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBuild, tempDir } from './helpers';

before(requireBuild);

test("without a built engine, 'losslab run' trains on wasm and names the command that builds it", () => {
  const dir = tempDir('losslab-fallback-');
  const config = path.join(dir, 'tiny.losslab.json');
  const experiment = {
    name: 'tiny',
    dataset: { name: 'fashion-mnist', trainSubset: 256, testSubset: 128 },
    models: [{ name: 'simple-cnn', width: 0.25 }],
    losses: [{ name: 'ce' }],
    seeds: [1],
    training: { epochs: 1, batchSize: 64, lr: 0.05, milestones: [1], augment: { crop: false, padding: 4, flip: false } },
  };
  writeFileSync(config, JSON.stringify(experiment));
  const r = spawnSync(process.execPath, ['dist/cli.js', 'run', config, '--out', dir], {
    encoding: 'utf8',
    env: { ...process.env, LOSSLAB_NATIVE_DIR: tempDir('losslab-no-engine-') },
  });
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 0, out);
  assert.match(out, /backend wasm \(.*torch.* not available\)/);
  assert.match(out, /the native engine .* was not used: the native engine is not built for libtorch \d+\.\d+\.\d+ .*losslab build-native/);
  assert.equal(out.match(/was not used/g)?.length, 1, 'said once');
  const status = JSON.parse(readFileSync(path.join(dir, 'tiny', 'simple-cnn-w0.25__ce__seed1', 'status.json'), 'utf8')) as { state: string; backend: string };
  assert.deepEqual([status.state, status.backend], ['done', 'wasm']);
});
