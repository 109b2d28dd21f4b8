// The native engine as a whole: what `auto` picks with and without it, what the build says for
// each missing piece, where builds are kept, and a training loop that leaks nothing. The engine
// must be built (npm run build:native, done by scripts/ensure-deps.sh): these tests fail without it.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../src/core/backend/selectBackend';
import { CRASH_MARKER } from '../../../src/core/backend/torch/crashMarker';
import { ADDON_FILE, addonDir, locateLibtorch, type Libtorch } from '../../../src/core/backend/torch/libtorch';
import { torchRunFacts } from '../../../src/core/backend/torch/registerTorch';
import { TorchBackend } from '../../../src/core/backend/torch/torchBackend';
import { fixedByBuild } from '../../../src/core/backend/torch/torchAddon';
import { runEnvironment } from '../../../src/core/train/environment';
import { buildNetwork } from '../../../src/core/train/network';
import { Sgd } from '../../../src/core/train/sgd';
import { trainStep } from '../../../src/core/train/step';
import { evaluate } from '../../../src/core/train/evaluate';
import { buildNativeEngine, NativeBuildError } from '../../../src/host/nativeBuild';
import { randomValues } from '../helpers/tfTest';

const emptyDir = () => mkdtempSync(path.join(tmpdir(), 'losslab-empty-'));

test("'auto' takes the torch engine on the CPU after the GPU backends, and records libtorch and the device", async () => {
  const info = await selectBackend('auto');
  assert.equal(info.kind, 'torch');
  assert.equal(info.device, 'cpu');
  assert.equal(tf.getBackend(), 'torch');
  assert.deepEqual(
    info.tried.map((t) => t.name),
    ['tensorflow-gpu', 'webgpu'],
    'the GPU backends were tried first; torch on a CPU waits for them',
  );
  assert.match(info.detail ?? '', /^libtorch \d+\.\d+\.\d+ \(.+\) on cpu$/);
  const versions = runEnvironment().versions as Record<string, string>;
  assert.equal(versions.device, 'cpu');
  assert.match(versions.libtorch, /^\d+\.\d+\.\d+$/);
  assert.deepEqual(torchRunFacts(), { libtorch: versions.libtorch, libtorchSource: versions.libtorchSource, device: 'cpu' });
});

/** Runs selectBackend in a fresh process (backends initialise once per process). */
function selectInChild(pref: string, env: NodeJS.ProcessEnv): { status: number | null; out: string } {
  const code = `require('./src/core/backend/selectBackend').selectBackend(${JSON.stringify(pref)}).then(
    (i) => console.log(JSON.stringify({ kind: i.kind, tried: i.tried })),
    (e) => { console.log(JSON.stringify({ error: e.message })); process.exitCode = 3; });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: r.status, out: r.stdout.trim().split('\n').pop() ?? '' };
}

test("without a built engine, 'auto' says why and goes on to wasm; 'torch' by name fails with what to do", () => {
  const env = { LOSSLAB_NATIVE_DIR: emptyDir() };
  const auto = selectInChild('auto', env);
  assert.equal(auto.status, 0, auto.out);
  const picked = JSON.parse(auto.out) as { kind: string; tried: { name: string; error: string }[] };
  assert.equal(picked.kind, 'wasm');
  const torch = picked.tried.find((t) => t.name === 'torch');
  assert.match(torch?.error ?? '', /native engine is not built for libtorch \d+\.\d+\.\d+ .*losslab build-native/);
  assert.equal(picked.tried.filter((t) => t.name === 'torch').length, 1, 'torch is reported once, not once per pass');
  assert.ok(fixedByBuild(torch!.error), 'the extension offers a build for this reason');

  const named = selectInChild('torch', env);
  assert.equal(named.status, 3);
  assert.match(JSON.parse(named.out).error, /torch: the native engine is not built .*build-native/);
  assert.doesNotMatch(JSON.parse(named.out).error, /wasm/, 'a named backend does not fall back');
});

test("an engine marked as crashed is passed over by 'auto', saying why and what rebuilds it; 'torch' by name still loads it", () => {
  const lib = locateLibtorch(process.env).found!;
  const env = { LOSSLAB_NATIVE_DIR: emptyDir() };
  const copy = addonDir(lib, { ...process.env, ...env });
  cpSync(addonDir(lib), copy, { recursive: true });
  try {
    assert.equal(JSON.parse(selectInChild('auto', env).out).kind, 'torch', 'the copied engine loads');
    writeFileSync(path.join(copy, CRASH_MARKER), JSON.stringify({ signal: 'SIGSEGV', runId: 'r1', at: '2026-01-01T00:00:00.000Z' }));
    const picked = JSON.parse(selectInChild('auto', env).out) as { kind: string; tried: { name: string; error: string }[] };
    assert.equal(picked.kind, 'wasm');
    assert.deepEqual(
      picked.tried.filter((t) => t.name === 'torch').map((t) => t.error),
      [`skipped: the native engine crashed a run (SIGSEGV in r1, 2026-01-01T00:00:00.000Z; recorded in ${path.join(copy, CRASH_MARKER)}); rebuild it with 'losslab build-native --force'`],
    );
    assert.equal(JSON.parse(selectInChild('torch', env).out).kind, 'torch', 'asked for by name, it is used');
  } finally {
    rmSync(env.LOSSLAB_NATIVE_DIR, { recursive: true, force: true });
  }
});

test('an engine marked as crashed is rebuilt even when its record says up to date, and the rebuild clears the mark', async () => {
  const lib = locateLibtorch(process.env).found!;
  const root = emptyDir();
  const env = { ...process.env, LOSSLAB_NATIVE_DIR: root };
  const copy = addonDir(lib, env);
  cpSync(addonDir(lib), copy, { recursive: true });
  rmSync(path.join(copy, CRASH_MARKER), { force: true });
  writeFileSync(path.join(copy, CRASH_MARKER), '{}');
  // A compiler that "builds" by copying the working engine: the build's steps without its 20 s.
  const cxx = path.join(root, 'fake-cxx');
  writeFileSync(cxx, `#!/bin/sh\n[ "$1" = --version ] && { echo fake-cxx 1; exit 0; }\nwhile [ $# -gt 0 ]; do [ "$1" = -o ] && cp "${path.join(addonDir(lib), ADDON_FILE)}" "$2"; shift; done\n`);
  chmodSync(cxx, 0o755);
  try {
    const rebuilt = await buildNativeEngine({ env: { ...env, CXX: cxx } });
    assert.equal(rebuilt.built, true, 'the crash mark makes the build run');
    assert.ok(!existsSync(path.join(copy, CRASH_MARKER)), 'the rebuild clears the mark');
    assert.equal((await buildNativeEngine({ env: { ...env, CXX: cxx } })).built, false, 'then it is up to date');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an explicit LIBTORCH that holds no libtorch is an error, not a reason to use another one', () => {
  const dir = emptyDir();
  const { found, rejected } = locateLibtorch({ LIBTORCH: dir, PATH: process.env.PATH });
  assert.equal(found, undefined);
  assert.deepEqual(rejected, [`LIBTORCH (${dir}): no C++ headers (torch/csrc/api/include/torch/torch.h) under ${path.join(dir, 'include')}`]);
});

test('the build names each missing piece: libtorch, then the compiler', async () => {
  const noLib = await buildNativeEngine({ env: { LIBTORCH: emptyDir() } }).catch((e: unknown) => e);
  assert.ok(noLib instanceof NativeBuildError);
  assert.equal(noLib.piece, 'libtorch');
  assert.match(noLib.message, /libtorch not found: LIBTORCH .*pip install torch/);

  // No compiler on PATH (and no Python either): Debian's libtorch is still found by its fixed paths.
  const noCompiler = await buildNativeEngine({ env: { PATH: emptyDir(), LOSSLAB_NATIVE_DIR: emptyDir() }, force: true }).catch((e: unknown) => e);
  assert.ok(noCompiler instanceof NativeBuildError, String(noCompiler));
  assert.equal(noCompiler.piece, 'compiler');
  assert.match(noCompiler.message, /no C\+\+ compiler found \(tried c\+\+, g\+\+, clang\+\+\).*set CXX/);
});

test('builds are kept per libtorch: another version or location gets its own folder', () => {
  const lib: Libtorch = { source: 'debian', where: 'x', includeDirs: ['/usr/include'], libDir: '/usr/lib/x86_64-linux-gnu', version: '1.13.0', cxxStandard: 'c++17', cuda: false, cxx11Abi: true };
  const env = { LOSSLAB_NATIVE_DIR: '/cache' };
  const base = addonDir(lib, env);
  assert.ok(base.startsWith(path.join('/cache', 'torch-1.13.0-')));
  assert.notEqual(addonDir({ ...lib, version: '2.4.1' }, env), base);
  assert.notEqual(addonDir({ ...lib, libDir: '/opt/torch/lib' }, env), base);
  assert.equal(addonDir({ ...lib }, env), base);
});

test('training and evaluation on torch keep tensors and native memory flat across epochs', async () => {
  await selectBackend('torch');
  const backend = tf.backend() as TorchBackend;
  const net = buildNetwork({ name: 'resnet18', width: 0.125 }, { name: 'scaled-bn', m: 0.9 }, 3, 10, 1);
  const sgd = new Sgd(net.store.params, { momentum: 0.9, weightDecay: 5e-4, decayBiasAndBn: true });
  const images = randomValues(32 * 16 * 16 * 3, 5);
  const labels = Int32Array.from({ length: 32 }, (_, i) => i % 10);
  const ds = {
    height: 16,
    width: 16,
    channels: 3,
    numClasses: 10,
    mean: [0, 0, 0],
    std: [1, 1, 1],
    test: { images: Uint8Array.from(images, (v) => Math.floor((v + 1) * 127)), labels, count: 32 },
  };
  const epoch = () => {
    for (let i = 0; i < 3; i++) {
      const x = tf.tensor4d(images, [32, 16, 16, 3]);
      const y = tf.tensor1d(labels, 'int32');
      const out = trainStep(net, sgd, x, y, 0.05);
      out.loss.dataSync();
      tf.dispose([out.loss, out.correct, x, y]);
    }
    evaluate(net, ds as never, ds.test);
    return [tf.memory().numTensors, backend.numDataIds(), backend.nativeTensorCount()];
  };
  epoch();
  const first = epoch();
  assert.deepEqual(epoch(), first);
  assert.equal(first[1], first[2], 'every tfjs data id has exactly one libtorch tensor');
  net.store.dispose();
  sgd.dispose();
});
