import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { hasFastConvGradients } from '../../../src/core/backend/convGradKernels';
import { selectBackend } from '../../../src/core/backend/selectBackend';
import { gpuDeviceNodes } from '../../../src/core/backend/optionalBackends';
import { WASM_DIR_ENV, findWasmDir } from '../../../src/core/backend/wasmBinaries';

// These tests describe a machine without a working libtensorflow (@tensorflow/tfjs-node(-gpu)
// absent, or present without its native addon), like the project's build machines. Where
// tfjs-node does load, the native backend rightly wins and the wasm-specific checks are skipped.
// What `auto` picks with and without the native engine: torchEngine.test.ts.

test("'cpu' loads the reference backend with the fast filter gradient", async () => {
  const messages: string[] = [];
  const info = await selectBackend('cpu', { threads: 4, log: (m) => messages.push(m) });
  assert.deepEqual(
    { name: info.name, kind: info.kind, threads: info.threads, tried: info.tried },
    {
      name: 'cpu',
      kind: 'cpu',
      threads: 1,
      tried: [],
    },
  );
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal(hasFastConvGradients('cpu').filter, true);
  assert.ok(
    messages.some((m) => /threads=4 ignored/.test(m)),
    'an unmet thread request is logged',
  );
});

test("'wasm' can be selected again after switching away", async () => {
  const info = await selectBackend('wasm');
  assert.equal(info.name, 'wasm');
  const y = tf.conv2d(tf.ones<tf.Rank.R4>([1, 5, 5, 2]), tf.ones<tf.Rank.R4>([3, 3, 2, 1]), 1, 'valid');
  assert.deepEqual(Array.from(y.dataSync()), new Array(9).fill(18));
  y.dispose();
});

test("'tensorflow-gpu' asked for by name fails with the package to install", async (t) => {
  let info;
  try {
    info = await selectBackend('tensorflow-gpu');
  } catch (err) {
    const message = (err as Error).message;
    assert.match(message, /tensorflow-gpu: @tensorflow\/tfjs-node-gpu (is not installed|is installed but failed to load)/);
    assert.match(message, /npm install @tensorflow\/tfjs-node-gpu/);
    assert.doesNotMatch(message, /wasm|cpu:/, 'a named preference does not fall back');
    return;
  }
  t.skip(`hardware: tfjs-node-gpu loads here (${info.name})`);
});

test("'webgpu' asked for by name says what is missing: a package, or a GPU adapter", async (t) => {
  let info;
  try {
    info = await selectBackend('webgpu');
  } catch (err) {
    // With the optional packages installed (npm ci installs them), Dawn loads and finds no adapter here.
    assert.match((err as Error).message, /webgpu: .*(`webgpu`|tfjs-backend-webgpu|no GPU adapter|software adapter)/);
    return;
  }
  t.skip(`hardware: webgpu loads here (${info.name})`);
});

test("'auto' tries webgpu only where a GPU device node exists (Linux)", () => {
  assert.deepEqual(
    gpuDeviceNodes(() => false, 'linux'),
    [],
  );
  assert.deepEqual(
    gpuDeviceNodes((p) => p === '/dev/dri', 'linux'),
    ['/dev/dri'],
  );
  assert.equal(
    gpuDeviceNodes(() => false, 'darwin'),
    null,
    'elsewhere: no device nodes to look at, so try',
  );
});

test('findWasmDir prefers LOSSLAB_WASM_DIR when it holds the binaries, and passes over one that does not', () => {
  const good = mkdtempSync(path.join(tmpdir(), 'losslab-wasm-'));
  writeFileSync(path.join(good, 'tfjs-backend-wasm.wasm'), '');
  assert.equal(findWasmDir({ [WASM_DIR_ENV]: good }).dir, good + path.sep);
  const empty = mkdtempSync(path.join(tmpdir(), 'losslab-nowasm-'));
  const search = findWasmDir({ [WASM_DIR_ENV]: empty });
  assert.ok(search.rejected.some((r) => r.startsWith(empty)));
  assert.ok(search.dir?.endsWith(path.join('tfjs-backend-wasm', 'dist') + path.sep), 'falls back to node_modules');
});
