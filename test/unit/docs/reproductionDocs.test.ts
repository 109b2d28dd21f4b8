// The committed reproductions' README must say what the committed results say: every table row
// compare.mjs prints from a report's results.json appears in the README verbatim, and each grid
// is complete (no run left out of the tables).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Markdown table text with each cell's padding dropped: Prettier aligns the README's columns, compare.mjs does not. */
const tableCells = (text: string) => text.replace(/ *\| */g, '|');

const DIR = 'docs/reproduction';
/** Each committed reproduction: the config it ran and the report folder holding its results. */
const REPRODUCTIONS = [
  { config: 'fashion-mnist-cpu.losslab.json', report: 'report' },
  { config: 'fashion-mnist-cpu-simple-cnn-20ep.losslab.json', report: 'report-simple-cnn-20ep' },
];

interface ResultsRun {
  runId: string;
  status: { state: string };
  metrics: unknown[];
}

for (const { config: configFile, report } of REPRODUCTIONS) {
  const results = `${DIR}/${report}/results.json`;
  const config = JSON.parse(readFileSync(`${DIR}/${configFile}`, 'utf8'));
  const expected = config.models.length * config.losses.length * config.seeds.length;

  test(`docs/reproduction/README.md carries every table row of ${report}/results.json`, () => {
    const printed = execFileSync(process.execPath, [`${DIR}/compare.mjs`, results], { encoding: 'utf8' });
    const readme = tableCells(readFileSync(`${DIR}/README.md`, 'utf8'));
    const rows = printed.split('\n').filter((l) => l.startsWith('| '));
    assert.ok(rows.length > expected, `compare.mjs printed ${rows.length} table rows for ${expected} runs`);
    const missing = rows.filter((row) => !readme.includes(tableCells(row)));
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

// The PEDCC variants' table is typed by hand from the committed per-run CSV: each head's row
// must carry its three seeds and the mean ± std (n − 1) that src/core/results/stats computes.
test('docs/reproduction/README.md carries the PEDCC variants exactly as seed-study/pedcc-variants.csv has them', async () => {
  const { mean, sampleStd } = await import('../../../src/core/results/stats');
  const [header, ...lines] = readFileSync(`${DIR}/seed-study/pedcc-variants.csv`, 'utf8').trim().split('\n');
  assert.deepEqual(header.split(',').slice(1, 4), ['loss', 'seed', 'final_test_acc']);
  const byLoss = new Map<string, { seed: number; acc: number }[]>();
  for (const line of lines) {
    const [, loss, seed, acc] = line.split(',');
    byLoss.set(loss, [...(byLoss.get(loss) ?? []), { seed: Number(seed), acc: Number(acc) }]);
  }
  assert.equal(byLoss.size, 6, 'CE and five PEDCC heads');
  // Bold marks the best row; compare the text without it.
  const readme = tableCells(readFileSync(`${DIR}/README.md`, 'utf8').replaceAll('**', ''));
  for (const [loss, runs] of byLoss) {
    runs.sort((x, y) => x.seed - y.seed);
    assert.deepEqual(
      runs.map((r) => r.seed),
      [1, 2, 3],
      loss,
    );
    const accs = runs.map((r) => r.acc);
    const row = `${accs.map((a) => a.toFixed(2)).join(' | ')} | ${mean(accs).toFixed(2)} ± ${sampleStd(accs).toFixed(2)} |`;
    assert.ok(readme.includes(tableCells(row)), `${loss}: README lacks "${row}"`);
  }
});
