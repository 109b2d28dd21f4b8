// The native engine on the PyTorch builds users have: Debian's libtorch-dev 1.13, the current CPU
// wheel and the current CUDA build (scripts/install-pytorch-builds.sh installs the two wheels into
// venvs). For each: the engine builds with the C++ standard and CUDA code paths that build needs,
// trains step for step as that same PyTorch (the parity harness, mirror run by the build's own
// Python), resumes bit for bit after kill -9, and records its version in the run's summary.
// Nothing here skips: a build that cannot be installed or compiled fails the test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readRun } from '../../src/core/results/runReader';
import { FASHION_MNIST, gridOf, learned, requireBuild, RESUME_CONFIG, runToEnd, tempDir } from './helpers';

before(requireBuild);

interface Build {
  name: string;
  /** LIBTORCH for the engine; undefined: Debian's libtorch-dev, found by its fixed paths. */
  libtorch?: string;
  /** The Python whose torch the parity mirror runs. */
  python: string;
}

function builds(): Build[] {
  const out = execFileSync('bash', ['scripts/install-pytorch-builds.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const wheels = out
    .trim()
    .split('\n')
    .map((line) => line.split('\t'))
    .map(([name, libtorch, python]) => ({ name, libtorch, python }));
  assert.equal(wheels.length, 2, `install-pytorch-builds.sh names the CPU wheel and the CUDA build: ${out}`);
  return [{ name: 'debian-libtorch-1.13', python: '/usr/bin/python3' }, ...wheels];
}

const CONFIG = { ...RESUME_CONFIG, name: 'torch-builds', backend: 'torch' };

const noGpu = !existsSync('/dev/nvidia0');

for (const build of builds()) {
  test(`${build.name}: the engine builds, trains step for step as this PyTorch, resumes bit for bit and records its version`, async () => {
    assert.ok(existsSync(FASHION_MNIST), 'needs Debian dataset-fashion-mnist');
    // LOSSLAB_PYTHON too: the engine's own search would otherwise take the torch of the Python on PATH.
    const env = { ...process.env, LOSSLAB_PYTHON: build.python, ...(build.libtorch ? { LIBTORCH: build.libtorch } : { LIBTORCH: '' }) };
    const cuda = build.name.endsWith('-cuda');

    const built = spawnSync(process.execPath, ['dist/cli.js', 'build-native'], { env, encoding: 'utf8' });
    process.stdout.write(built.stdout + built.stderr);
    assert.equal(built.status, 0, `build-native failed:\n${built.stderr}`);
    // The build's record says how it was compiled, whether this run compiled it or found it up to date.
    const addon = /(?:built|up to date:) (\S+\.node)/.exec(built.stdout + built.stderr)?.[1];
    assert.ok(addon, 'build-native names the engine it built or found');
    const record = JSON.parse(readFileSync(path.join(path.dirname(addon), 'build.json'), 'utf8')) as { cudaCodePaths?: boolean; libtorch: { cxxStandard: string } };
    assert.equal(record.libtorch.cxxStandard, cuda ? 'c++20' : 'c++17');
    assert.equal(record.cudaCodePaths, cuda, 'the CUDA build compiles the engine with its CUDA code paths');

    const parity = spawnSync(process.execPath, ['--import', 'tsx', 'parity/main.ts', '--backend', 'torch'], { env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    process.stdout.write(parity.stdout.split('\n').slice(-3).join('\n') + '\n');
    assert.equal(parity.status, 0, `parity on ${build.name} failed:\n${parity.stdout.slice(-4000)}\n${parity.stderr.slice(-2000)}`);
    assert.match(parity.stdout + parity.stderr, /(\d+)\/\1 cases pass \(Loss Lab torch, PyTorch /);

    const [spec] = gridOf(CONFIG);
    const root = tempDir(`losslab-${build.name}-`);
    const workerEnv = { LOSSLAB_PYTHON: build.python, LIBTORCH: build.libtorch ?? '' };
    const warnings = await runToEnd(spec, path.join(root, 'straight'), undefined, workerEnv);
    await runToEnd(spec, path.join(root, 'resumed'), { epoch: 2, step: 3 }, workerEnv);
    const straight = readRun(path.join(root, 'straight'));
    const resumed = readRun(path.join(root, 'resumed'));
    assert.match(straight.status?.backend ?? '', /^torch/);
    assert.deepEqual(resumed.metrics.map(learned), straight.metrics.map(learned));
    assert.equal(resumed.summary?.finalTestAcc, straight.summary?.finalTestAcc);

    const version = spawnSync(build.python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();
    const recorded = straight.summary?.versions.libtorch ?? '';
    // A wheel's full version, local tag included; Debian's C++ headers say 1.13.0 where its python3-torch says 1.13.1.
    if (build.libtorch) assert.equal(recorded, version, 'the run records the libtorch it trained on');
    else assert.equal(recorded.split('.').slice(0, 2).join('.'), version.split('.').slice(0, 2).join('.'));
    const cudaNotice = warnings.filter((w) => /has CUDA built in, but this machine has no CUDA device: training on the CPU/.test(w));
    assert.equal(cudaNotice.length, cuda && noGpu ? 1 : 0, `the CUDA build without a GPU says so, once per run: ${JSON.stringify(warnings)}`);
  });
}
