/**
 * What TensorBoard and W&B users reach for next, in the installed extension: a sweep over two
 * fields (m and lr), its heatmap; the curves coloured by lr, a baseline run pinned (from the select,
 * then from a run table row), the learning rate drawn, a chart's data saved as CSV, the sweep chart as SVG; a sweep over three fields in
 * parallel coordinates; and Open in TensorBoard where none is installed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import type { RunSpec } from '../../src/core/config/types';
import type { RunSummary } from '../../src/core/results/types';
import type { UiStep } from './runExperiment.ui';
import { experimentDir, readJson, runConfigFromPalette, runsOnDisk, waitForRunsDone } from './runs';
import { acceptSaveDialog, closeAllEditors, pickItem, runFromPalette, screenshot, waitFor, waitForNotification } from './workbench';

const NAME = 'e2e-sweep2';
const CONFIG = `${NAME}.losslab.json`;
const NAME3 = 'e2e-sweep3';
const TRAINING_TIMEOUT_MS = 300_000;

/** Two swept fields, two values each: four runs of a few seconds. */
const SWEEP_CONFIG = {
  name: NAME,
  description: 'The UI steps’ sweep over two fields: scaled-BN’s m and the learning rate.',
  dataset: { name: 'fashion-mnist', trainSubset: 512, testSubset: 256, shuffleSubset: true },
  models: [{ name: 'simple-cnn', width: 0.25 }],
  losses: [{ name: 'scaled-bn', m: [0.8, 0.9] }],
  seeds: [1],
  training: { epochs: 1, batchSize: 128, lr: [0.02, 0.05], milestones: [] },
  backend: 'wasm',
  parallelRuns: 1,
};

interface SweepRun {
  runId: string;
  m: number;
  lr: number;
  acc: number;
}

/** The runs as their own files say: swept values from config.json, accuracy from summary.json. */
function sweepRuns(workspace: string): SweepRun[] {
  return runsOnDisk(workspace, NAME).map(({ runId, dir }) => {
    const spec = readJson<RunSpec>(path.join(dir, 'config.json'));
    const summary = readJson<RunSummary>(path.join(dir, 'summary.json'));
    return { runId, m: (spec.loss as { m: number }).m, lr: spec.training.lr, acc: summary.finalTestAcc * 100 };
  });
}

/**
 * Run Experiment on the config opened for it; after many steps the workbench sometimes asks which
 * config instead (the editor not yet active): then it is picked there.
 */
async function runConfig(page: Page, config: string): Promise<void> {
  await runConfigFromPalette(page, config);
  const asked = await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ hasText: config })
    .first()
    .waitFor({ state: 'visible', timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
  if (asked) await pickItem(page, config);
}

const swatchColours = (frame: FrameLocator) =>
  frame.locator('#run-list li').evaluateAll((lis) => Object.fromEntries(lis.map((li) => [(li as HTMLElement).dataset.runId!, getComputedStyle(li.querySelector('.swatch')!).backgroundColor])));

const dataPoints = async (frame: FrameLocator, id: string) => Number(await frame.locator(`#${id}`).getAttribute('data-points'));

const choose = (frame: FrameLocator, id: string, value: string) =>
  frame.locator(`#${id}`).evaluate((el: HTMLSelectElement, v) => {
    el.value = v;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);

export const panelFeatureSteps: UiStep[] = [
  {
    name: 'should draw a heatmap of final test accuracy over m and lr, each cell the run’s own accuracy',
    async run({ page, workspace, artifacts }) {
      fs.writeFileSync(path.join(workspace, CONFIG), JSON.stringify(SWEEP_CONFIG, null, 2));
      await runConfig(page, CONFIG);
      const frame = await waitForRunsDone(page, 4, TRAINING_TIMEOUT_MS);
      await runFromPalette(page, 'Notifications: Clear All Notifications');
      const runs = sweepRuns(workspace);
      assert.equal(runs.length, 4);
      const heatmap = frame.locator('#sweep-grid figure[data-sweep-view="heatmap"]');
      await heatmap.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await frame.locator('#sweep-grid figure[data-sweep-view="parallel"]').count(), 0, 'two fields: no parallel coordinates');
      const cells = await heatmap
        .locator('g.cell')
        .evaluateAll((gs) => gs.map((g) => ({ col: Number(g.getAttribute('data-col')), row: Number(g.getAttribute('data-row')), label: g.querySelector('text')!.textContent })));
      assert.equal(cells.length, 4);
      // Columns: m ascending; rows: lr ascending. One seed, so each cell is one run's accuracy.
      for (const r of runs) {
        const cell = cells.find((c) => c.col === [0.8, 0.9].indexOf(r.m) && c.row === [0.02, 0.05].indexOf(r.lr));
        assert.equal(cell?.label, r.acc.toFixed(1), `m=${r.m}, lr=${r.lr}`);
      }
      await heatmap.scrollIntoViewIfNeeded();
      await screenshot(heatmap, artifacts, 'ui-17-sweep-heatmap');
    },
  },
  {
    name: 'should colour the curves by lr, pin a baseline drawn even when unticked, and show the learning rate',
    async run({ page, workspace, artifacts }) {
      const frame = await waitForRunsDone(page, 4, 60_000);
      const runs = sweepRuns(workspace);
      const options = await frame.locator('#colour-by option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      assert.deepEqual(options, ['loss', 'config:loss.m', 'config:training.lr'], 'the loss, then the fields that differ');
      await choose(frame, 'colour-by', 'config:training.lr');
      const byLr = await swatchColours(frame);
      const colourOf = (lr: number) => new Set(runs.filter((r) => r.lr === lr).map((r) => byLr[r.runId]));
      assert.equal(colourOf(0.02).size, 1, 'runs of one lr share a colour');
      assert.equal(colourOf(0.05).size, 1);
      assert.notEqual([...colourOf(0.02)][0], [...colourOf(0.05)][0], 'two lrs, two colours');

      const baseline = runs[0].runId;
      const before = await dataPoints(frame, 'chart-test-acc');
      await choose(frame, 'baseline-run', baseline);
      await waitFor('the baseline swatch grey', async () => ((await swatchColours(frame))[baseline] !== byLr[baseline] ? true : undefined), 10_000);
      // Unticked in the run list, the baseline stays drawn: the same number of points.
      await frame.locator(`#run-list li[data-run-id="${baseline}"] input[type="checkbox"]`).uncheck();
      await page.waitForTimeout(300);
      assert.equal(await dataPoints(frame, 'chart-test-acc'), before);

      assert.equal(await frame.locator('figure[data-extra-metric="lr"]').isHidden(), true, 'the learning rate is not shown until asked for');
      await choose(frame, 'extra-metric', 'lr');
      const lrChart = frame.locator('figure[data-extra-metric="lr"]');
      await lrChart.waitFor({ state: 'visible', timeout: 10_000 });
      // One epoch per run, four runs: four points.
      await waitFor('learning-rate points', async () => ((await dataPoints(frame, 'chart-lr')) === 4 ? true : undefined), 10_000);
      await frame.locator('#curves-heading').scrollIntoViewIfNeeded();
      await screenshot(page.locator('iframe.webview.ready'), artifacts, 'ui-18-colour-by-baseline');
      await lrChart.scrollIntoViewIfNeeded();
      await screenshot(lrChart, artifacts, 'ui-19-learning-rate');
    },
  },
  {
    name: 'should pin the baseline from a run table row, mark it there, keep it after a reload, and unpin it there',
    async run({ page, workspace, artifacts }) {
      let frame = await waitForRunsDone(page, 4, 60_000);
      const [first, second] = sweepRuns(workspace).map((r) => r.runId);
      const pinned = (f: FrameLocator) => f.locator('#run-table tbody tr[data-baseline="true"]').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.runId));
      const selected = (f: FrameLocator) => f.locator('#run-table tbody tr[aria-selected="true"]').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.runId));
      const selectValue = (f: FrameLocator) => f.locator('#baseline-run').evaluate((el: HTMLSelectElement) => el.value);
      // The last step chose the first run in the Baseline select: the table marks it.
      await waitFor('the table marks the baseline chosen in the select', async () => (JSON.stringify(await pinned(frame)) === JSON.stringify([first]) ? true : undefined), 10_000);
      const figures = await selected(frame);
      const colours = await swatchColours(frame);

      const row = (f: FrameLocator, runId: string) => f.locator(`#run-table tbody tr[data-run-id="${runId}"]`);
      await row(frame, second).locator('button.baseline-toggle').click();
      await waitFor(
        'the second run pinned from its row',
        async () => ((await selectValue(frame)) === second && JSON.stringify(await pinned(frame)) === JSON.stringify([second]) ? true : undefined),
        10_000,
      );
      assert.equal(await row(frame, second).locator('button.baseline-toggle').getAttribute('aria-pressed'), 'true');
      const recoloured = await swatchColours(frame);
      assert.notEqual(recoloured[second], colours[second], 'the new baseline is drawn grey');
      assert.equal(recoloured[second], colours[first], 'in the grey the old one had');
      assert.notEqual(recoloured[first], colours[first], 'the old baseline back in its own colour');
      assert.deepEqual(await selected(frame), figures, 'the button does not also pick the run for the figures');
      await frame.locator('#run-table').scrollIntoViewIfNeeded();
      await screenshot(page.locator('iframe.webview.ready'), artifacts, 'ui-19b-baseline-from-row');

      await runFromPalette(page, 'Developer: Reload Webviews');
      frame = await waitForRunsDone(page, 4, 60_000);
      await waitFor(
        'the pinned baseline after the reload',
        async () => ((await selectValue(frame)) === second && JSON.stringify(await pinned(frame)) === JSON.stringify([second]) ? true : undefined),
        60_000,
        500,
      );

      await row(frame, second).locator('button.baseline-toggle').click();
      await waitFor('the baseline unpinned from its row', async () => ((await selectValue(frame)) === '' && (await pinned(frame)).length === 0 ? true : undefined), 10_000);
      // As the last step left it, for the next: the first run pinned (unticked in the run list, still drawn).
      await row(frame, first).locator('button.baseline-toggle').click();
      await waitFor('the first run pinned again', async () => ((await selectValue(frame)) === first ? true : undefined), 10_000);
    },
  },
  {
    name: 'should save the test-accuracy chart’s data as CSV, saying the values are as recorded',
    async run({ page, workspace }) {
      const frame = await waitForRunsDone(page, 4, 60_000);
      await frame.locator('button.save-chart[data-metric="testAcc"][data-format="csv"]').click();
      const file = await acceptSaveDialog(page);
      assert.equal(file, path.join(experimentDir(workspace, NAME), `${NAME}-test-accuracy.csv`));
      await waitFor(`${file} written`, async () => (fs.existsSync(file) ? true : undefined), 10_000);
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
      assert.match(lines[1], /values: recorded \(no smoothing\), as drawn/);
      assert.equal(lines[2], 'id,label,epoch,test accuracy (%)');
      // Every run drawn (the baseline included), one epoch each, its accuracy as summary.json has it.
      const rows = lines.slice(3).map((l) => l.split(','));
      for (const r of sweepRuns(workspace)) {
        const row = rows.find((cells) => cells[0] === r.runId);
        assert.ok(row, `${r.runId} in the CSV`);
        assert.ok(Math.abs(Number(row.at(-1)) - r.acc) < 1e-6, `${r.runId}: ${row.at(-1)} vs ${r.acc}`);
      }
    },
  },
  {
    name: 'should save the sweep chart over m as SVG, one path per line',
    async run({ page, workspace }) {
      const frame = await waitForRunsDone(page, 4, 60_000);
      const figure = frame.locator('figure[data-sweep="loss:m"]');
      await figure.scrollIntoViewIfNeeded();
      await figure.locator('button[data-format="svg"]').click();
      const file = await acceptSaveDialog(page);
      assert.equal(file, path.join(experimentDir(workspace, NAME), `${NAME}-sweep-loss-m.svg`));
      await waitFor(`${file} written`, async () => (fs.existsSync(file) ? true : undefined), 10_000);
      const svg = fs.readFileSync(file, 'utf8');
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      // One line per value of lr (m is the x axis), each with its two points.
      assert.equal((svg.match(/<path data-run=/g) ?? []).length, 2, svg.slice(0, 400));
    },
  },
  {
    name: 'should draw parallel coordinates for a sweep over three fields, each line ending at its accuracy',
    async run({ page, workspace, artifacts }) {
      const config = { ...SWEEP_CONFIG, name: NAME3, training: { ...SWEEP_CONFIG.training, momentum: [0.8, 0.9] } };
      fs.writeFileSync(path.join(workspace, `${NAME3}.losslab.json`), JSON.stringify(config, null, 2));
      await runConfig(page, `${NAME3}.losslab.json`);
      const frame = await waitForRunsDone(page, 8, TRAINING_TIMEOUT_MS);
      await runFromPalette(page, 'Notifications: Clear All Notifications');
      const chart = frame.locator('#sweep-grid figure[data-sweep-view="parallel"]');
      await chart.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await frame.locator('#sweep-grid figure[data-sweep-view="heatmap"]').count(), 0, 'three fields: no heatmap');
      assert.equal(await chart.locator('g.axis').count(), 4, 'm, lr, momentum and accuracy');
      const drawn = (await chart.locator('path.setting').evaluateAll((ps) => ps.map((p) => Number(p.getAttribute('data-acc'))))).sort((a, b) => a - b);
      const accs = runsOnDisk(workspace, NAME3)
        .map(({ dir }) => readJson<RunSummary>(path.join(dir, 'summary.json')).finalTestAcc * 100)
        .sort((a, b) => a - b);
      assert.equal(drawn.length, 8, 'one line per setting');
      drawn.forEach((acc, i) => assert.ok(Math.abs(acc - accs[i]) < 1e-9, `${acc} vs ${accs[i]}`));
      await chart.scrollIntoViewIfNeeded();
      await screenshot(chart, artifacts, 'ui-21-parallel-coordinates');
    },
  },
  {
    name: 'should say in one line what to install when "Loss Lab: Open in TensorBoard" finds no TensorBoard',
    async run({ page, artifacts }) {
      await runFromPalette(page, 'Notifications: Clear All Notifications');
      await runFromPalette(page, 'Loss Lab: Open in TensorBoard');
      const { text } = await waitForNotification(page, /TensorBoard is not installed/, 30_000);
      assert.match(text, /^Loss Lab: TensorBoard is not installed: run 'pip install tensorboard'/);
      assert.ok(!text.includes('\n') && !/at .*\.js:\d+/.test(text), `one line, no stack: ${text}`);
      await screenshot(page, artifacts, 'ui-20-tensorboard-missing');
      await runFromPalette(page, 'Notifications: Clear All Notifications');
      await closeAllEditors(page);
    },
  },
];
