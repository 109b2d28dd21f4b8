// The skip rule of the test runner (scripts/run-tests.mjs, scripts/skips.mjs), run on test files
// written here: under CI=true a skip fails the run with its reason, unless it is a hardware one,
// which is listed and passes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

function runSuite(body: string, ci: boolean): { status: number | null; out: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'losslab-skiprule-'));
  writeFileSync(path.join(dir, 'a.test.ts'), `import { test } from 'node:test';\n${body}\n`);
  // NODE_TEST_CONTEXT would make the inner runner report to this one instead of printing.
  const env = { ...process.env, CI: ci ? 'true' : '', NODE_TEST_CONTEXT: undefined };
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', '--dir', dir], { encoding: 'utf8', env });
  return { status: r.status, out: r.stdout + r.stderr };
}

const PASSING = "test('runs', () => {});";

test('under CI=true a skipped test fails the run, naming the test and its reason', () => {
  const { status, out } = runSuite(`${PASSING}\ntest('needs chromium', { skip: 'no Chromium (none found)' }, () => {});`, true);
  assert.equal(status, 1, out);
  assert.match(out, /1 skipped, which fails the run under CI=true/);
  assert.match(out, /needs chromium .*: no Chromium \(none found\)/);
});

test('outside CI the same skip is reported and the run passes', () => {
  const { status, out } = runSuite(`${PASSING}\ntest('needs chromium', { skip: 'no Chromium' }, () => {});`, false);
  assert.equal(status, 0, out);
  assert.match(out, /1 skipped:\n {2}needs chromium/);
});

test('a hardware skip passes under CI=true and is listed at the end', () => {
  const { status, out } = runSuite(`${PASSING}\ntest('on a GPU', (t) => { t.skip('hardware: no CUDA device'); });`, true);
  assert.equal(status, 0, out);
  assert.match(out, /1 skipped for hardware this machine lacks:\n {2}on a GPU .*: hardware: no CUDA device/);
});

test('a run without skips says nothing of them; a failing test still fails', () => {
  const clean = runSuite(PASSING, true);
  assert.equal(clean.status, 0, clean.out);
  assert.doesNotMatch(clean.out, /\d+ skipped/);
  const failing = runSuite("test('fails', () => { throw new Error('no'); });", true);
  assert.equal(failing.status, 1);
});
