// User loss modules that exit, loop forever or are interrupted, through the built CLI as a user (or CI) runs it:
// each is a failure that names the module, with a non-zero exit code, and never holds the CLI.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE_LOSS_MODULE } from '../../src/core/losses/customTemplate';
import { FASHION_MNIST, requireBuild, tempDir } from './helpers';

before(requireBuild);

const CLI = path.resolve('dist/cli.js');
const FACTORY = 'export default function createLoss() { return { train: () => null }; }\n';
const workspace = tempDir('losslab-usercode-');
const env = { ...process.env, CI: '1', XDG_CACHE_HOME: path.join(workspace, 'cache') };

/** A config beside a module with `body`; returns the config's path and the module's. */
function experiment(name: string, body: string): { config: string; module: string } {
  mkdirSync(path.join(workspace, 'losses'), { recursive: true });
  const module = path.join(workspace, 'losses', `${name}.ts`);
  writeFileSync(module, body);
  const config = path.join(workspace, `${name}.losslab.json`);
  writeFileSync(
    config,
    JSON.stringify({
      name,
      dataset: { name: 'fashion-mnist', trainSubset: 64, testSubset: 64 },
      models: [{ name: 'simple-cnn', width: 0.25 }],
      losses: [{ name: 'custom', module: `./losses/${name}.ts` }],
      seeds: [1],
      training: { epochs: 1, batchSize: 64, milestones: [] },
      backend: 'wasm',
    }),
  );
  return { config, module };
}

/** The process's state, '' once it is gone (a zombie counts as gone: it ended, awaiting its reaper). */
const alive = (pid: number) =>
  spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
    .stdout.trim()
    .replace(/^Z.*/, '');

const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, cwd: workspace, env: { ...env, ...extra } });

test('process.exit(0) at import fails validate, run and check-loss with exit code 1, naming the module', () => {
  const { config, module } = experiment('exits', `process.exit(0);\n${FACTORY}`);
  const named = `losslab: the loss module ${module} called process.exit(0) while loading\n`;
  for (const args of [
    ['validate', config],
    ['run', config, '--out', path.join(workspace, 'out')],
    ['check-loss', module],
  ]) {
    const r = cli(args);
    assert.equal(r.status, 1, `${args[0]}: ${r.stderr}`);
    assert.ok(r.stderr.endsWith(named), `${args[0]}: ${r.stderr}`);
  }
  assert.ok(!existsSync(path.join(workspace, 'out', 'exits')), 'run stopped before any worker or run folder');
});

test('an endless loop at import fails validate and run at LOSSLAB_MODULE_TIMEOUT', () => {
  const { config, module } = experiment('loops', `while (true) {}\n${FACTORY}`);
  for (const args of [
    ['validate', config],
    ['run', config, '--out', path.join(workspace, 'out')],
  ]) {
    const started = Date.now();
    const r = cli(args, { LOSSLAB_MODULE_TIMEOUT: '2' });
    assert.equal(r.status, 1, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`the loss module ${module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} did not finish loading within 2 s`));
    assert.ok(Date.now() - started < 30_000, `${args[0]} took ${Date.now() - started} ms`);
  }
});

test('Ctrl-C during check-loss of an endless loop ends the CLI with 130 and one line, and the module host with it', async () => {
  const { module } = experiment('spins', `export default function createLoss() { return { train() { for (;;) {} } }; }\n`);
  const child = spawn(process.execPath, [CLI, 'check-loss', module], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Interrupt once the checks are running (the module loaded and the CPU backend is up).
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const hosts = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .filter(Boolean)
    .map(Number);
  assert.equal(hosts.length, 1, 'one module host runs the checks');
  child.kill('SIGINT');
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 130);
  const lines = stderr.split('\n').filter((l) => l.startsWith('losslab:'));
  assert.deepEqual(lines, [`losslab: interrupted while checking the loss module ${module}`]);
  // SIGKILLed by the CLI.
  for (let i = 0; i < 50 && alive(hosts[0]); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(alive(hosts[0]), '', 'the module host is gone');
});

test('Ctrl-C while validate loads an endless loop exits 130 with one line', async () => {
  const { config, module } = experiment('hangs', `for (;;) {}\n${FACTORY}`);
  const child = spawn(process.execPath, [CLI, 'validate', config], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  child.kill('SIGINT');
  assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 130);
  assert.equal(stderr, `losslab: interrupted while loading the loss module ${module}\n`);
});

test('a module host whose CLI was killed ends itself, even while a module spins', async () => {
  const { config } = experiment('orphan', `for (;;) {}\n${FACTORY}`);
  const child = spawn(process.execPath, [CLI, 'validate', config], { cwd: workspace, env, stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const [host] = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map(Number);
  assert.ok(host > 0, 'the module host runs');
  child.kill('SIGKILL');
  for (let i = 0; i < 50 && alive(host); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(alive(host), '', 'the orphaned module host is gone');
});

test('process.exit inside the loss head fails the run by name in the worker', { skip: !existsSync(FASHION_MNIST) && 'Debian dataset-fashion-mnist is not installed' }, () => {
  const { config, module } = experiment('exitsInTrain', 'export default function createLoss() { return { train() { process.exit(0); } }; }\n');
  const out = path.join(workspace, 'out');
  const r = cli(['run', config, '--out', out]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout + r.stderr, new RegExp(`FAILED \\(config\\): the loss module ${module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} called process\\.exit\\(0\\) while its loss head ran`));
});

test(
  "an exit from the module's own promise in the worker, after its call returned, fails the run by name too",
  { skip: !existsSync(FASHION_MNIST) && 'Debian dataset-fashion-mnist is not installed' },
  () => {
    const { config, module } = experiment('exitsLater', `${EXAMPLE_LOSS_MODULE}\nif (process.argv[1].endsWith('worker.js')) void Promise.resolve().then(() => process.exit(0));\n`);
    const r = cli(['run', config, '--out', path.join(workspace, 'out')]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout + r.stderr, new RegExp(`FAILED \\(config\\): the loss module ${module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} called process\\.exit\\(0\\)`));
    const [status] = readdirSync(path.join(workspace, 'out', 'exitsLater'))
      .filter((name) => name.includes('__'))
      .map((run) => JSON.parse(readFileSync(path.join(workspace, 'out', 'exitsLater', run, 'status.json'), 'utf8')));
    assert.equal(status.state, 'failed', 'recorded as failed, not done');
  },
);

test('check-loss --json keeps stdout for the results: the module prints to stderr', () => {
  const { module } = experiment('prints', `console.log('hello from the module');\n${FACTORY}`);
  const r = cli(['check-loss', '--json', module]);
  assert.equal(r.status, 1);
  assert.ok(Array.isArray(JSON.parse(r.stdout)), r.stdout);
  assert.match(r.stderr, /hello from the module/);
});
