import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { reportError, runCli } from '../../../src/cli/cli';
import { UsageError } from '../../../src/cli/errors';
import { BACKEND_NAMES } from '../../../src/core/backend/backendNames';
import { version } from '../../../package.json';

const ROOT = path.join(__dirname, '..', '..', '..');
const PATHS = { workerPath: '/nonexistent/worker.js', examplesDir: path.join(ROOT, 'examples'), typesFile: path.join(ROOT, 'types', 'tfjs-core.d.ts') };

/** Runs the real CLI entry point (through tsx) in a child process. */
function losslab(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The message runCli rejects with, as the CLI would print it. */
async function usageError(args: string[]): Promise<{ text: string; code: number }> {
  const err = await runCli(args, PATHS).then(
    () => assert.fail(`expected a usage error for ${args.join(' ')}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof UsageError, `a UsageError, got ${String(err)}`);
  return reportError(err);
}

const noStack = (text: string) => assert.doesNotMatch(text, /\n\s+at |TypeError|ERR_PARSE_ARGS/, text);

test('bad options, missing values and unknown commands: one line naming the problem, a hint, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['run', 'x.losslab.json', '--frobnicate'], /unknown option '--frobnicate'/],
    [['table', 'dir', '--format'], /option '--format <format>' argument missing/],
    [['table', 'dir', '--fromat', 'md'], /unknown option '--fromat'.*Did you mean --format\?/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['run'], /missing required argument 'config'/],
    [['run', 'x.json', '--parallel', '0'], /--parallel <n>' argument '0' is invalid. It must be a positive integer/],
    [['table', 'a', 'b'], /too many arguments for 'table'/],
  ];
  for (const [args, message] of cases) {
    const { text, code } = await usageError(args);
    assert.equal(code, 2, args.join(' '));
    assert.match(text.split('\n')[0], message);
    assert.match(text, /^losslab: .*\nRun 'losslab( \w+)? --help' for usage\.\n$/);
    noStack(text);
  }
  assert.match((await usageError(['table', 'dir', '--format'])).text, /Run 'losslab table --help'/);
});

test('table --format and --backend list the allowed values (the one BACKEND_NAMES list)', async () => {
  assert.match((await usageError(['table', 'dir', '--format', 'xlsx'])).text, /argument 'xlsx' is invalid\. Allowed choices are console, csv, md, latex\./);
  const { text } = await usageError(['run', 'x.json', '--backend', 'foo']);
  assert.ok(text.includes(`argument 'foo' is invalid. Allowed choices are ${BACKEND_NAMES.join(', ')}.`), text);
});

test('the real command: exit codes, --version, no stack trace', () => {
  for (const flag of ['--version', '-v']) {
    const r = losslab(flag);
    assert.equal(r.code, 0, flag);
    assert.equal(r.stdout, `${version}\n`);
  }
  const bad = losslab('table', 'dir', '--format');
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.equal(bad.stderr, "losslab: option '--format <format>' argument missing\nRun 'losslab table --help' for usage.\n");

  const help = losslab('run', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: losslab run \[options\] <config>/);
  assert.match(help.stdout, /--backend <name>/);
  assert.equal(losslab().code, 2, 'no command: the help, as wrong usage');
});

test('run --backend foo is refused before anything is written', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-cli-'));
  try {
    const config = path.join(dir, 'x.losslab.json');
    fs.writeFileSync(config, JSON.stringify({ name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }] }));
    const r = losslab('run', config, '--backend', 'foo', '--out', path.join(dir, 'runs'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^losslab: option '--backend <name>' argument 'foo' is invalid\. Allowed choices are auto, /);
    noStack(r.stderr);
    assert.ok(!fs.existsSync(path.join(dir, 'runs')), 'nothing written');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
