// The committed reproduction README must say what the committed results say: every table row
// compare.mjs prints from report/results.json appears in the README verbatim, and the grid is
// complete (no run left out of the tables).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const DIR = 'docs/reproduction';

test('docs/reproduction/README.md carries every table row of its results.json', () => {
  const printed = execFileSync(process.execPath, [`${DIR}/compare.mjs`, `${DIR}/report/results.json`], { encoding: 'utf8' });
  const readme = readFileSync(`${DIR}/README.md`, 'utf8');
  const rows = printed.split('\n').filter((l) => l.startsWith('| '));
  assert.ok(rows.length > 48, `compare.mjs printed ${rows.length} table rows`);
  const missing = rows.filter((row) => !readme.includes(row));
  assert.deepEqual(missing, [], 'README rows out of date: rerun node docs/reproduction/compare.mjs');
});

test('the committed reproduction holds the whole grid its config asks for, every run finished', () => {
  const config = JSON.parse(readFileSync(`${DIR}/fashion-mnist-cpu.losslab.json`, 'utf8'));
  const { runs } = JSON.parse(readFileSync(`${DIR}/report/results.json`, 'utf8')) as { runs: { runId: string; status: { state: string }; metrics: unknown[] }[] };
  const expected = config.models.length * config.losses.length * config.seeds.length;
  assert.equal(runs.length, expected);
  assert.equal(new Set(runs.map((r) => r.runId)).size, expected, 'run ids are distinct');
  for (const run of runs) {
    assert.equal(run.status.state, 'done', run.runId);
    assert.equal(run.metrics.length, config.training.epochs, run.runId);
  }
});
