// The committed reproductions' README must say what the committed results say: every table row
// compare.mjs prints from a report's results.json appears in the README verbatim, and each grid
// is complete (no run left out of the tables).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const DIR = 'docs/reproduction';
/** Each committed reproduction: the config it ran and the report folder holding its results. */
const REPRODUCTIONS = [
  { config: 'fashion-mnist-cpu.losslab.json', report: 'report' },
  { config: 'fashion-mnist-cpu-simple-cnn-20ep.losslab.json', report: 'report-simple-cnn-20ep' },
];

interface ResultsRun { runId: string; status: { state: string }; metrics: unknown[] }

for (const { config: configFile, report } of REPRODUCTIONS) {
  const results = `${DIR}/${report}/results.json`;
  const config = JSON.parse(readFileSync(`${DIR}/${configFile}`, 'utf8'));
  const expected = config.models.length * config.losses.length * config.seeds.length;

  test(`docs/reproduction/README.md carries every table row of ${report}/results.json`, () => {
    const printed = execFileSync(process.execPath, [`${DIR}/compare.mjs`, results], { encoding: 'utf8' });
    const readme = readFileSync(`${DIR}/README.md`, 'utf8');
    const rows = printed.split('\n').filter((l) => l.startsWith('| '));
    assert.ok(rows.length > expected, `compare.mjs printed ${rows.length} table rows for ${expected} runs`);
    const missing = rows.filter((row) => !readme.includes(row));
    assert.deepEqual(missing, [], `README rows out of date: rerun node docs/reproduction/compare.mjs ${results}`);
  });

  test(`${report}/results.json holds the whole grid ${configFile} asks for, every run finished`, () => {
    const { experiment, runs } = JSON.parse(readFileSync(results, 'utf8')) as { experiment: { name: string }; runs: ResultsRun[] };
    assert.equal(experiment.name, config.name);
    assert.equal(runs.length, expected);
    assert.equal(new Set(runs.map((r) => r.runId)).size, expected, 'run ids are distinct');
    for (const run of runs) {
      assert.equal(run.status.state, 'done', run.runId);
      assert.equal(run.metrics.length, config.training.epochs, run.runId);
    }
  });
}
