/**
 * A person's first experiment, in code-server with the packaged extension installed:
 * open the example config, run "Loss Lab: Run Experiment" from the palette, watch the
 * results panel draw its curves and fill its table, export the table. Screenshots go to
 * the artifacts folder.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { acceptSaveDialog, openFile, runFromPalette, screenshot, waitFor, webviewFrame } from './workbench';

export interface UiContext {
  page: Page;
  /** The workspace folder code-server opened (a copy of test/fixtures/workspace). */
  workspace: string;
  artifacts: string;
  /** The installed extension's folder, under code-server's extensions folder. */
  extensionDir: string;
}

export interface UiStep {
  name: string;
  run(ctx: UiContext): Promise<void>;
}

const CONFIG = 'quick.losslab.json';
const EXPERIMENT_DIR = (ws: string) => path.join(ws, '.losslab', 'runs', 'e2e-quick');
const LOSSES = ['CE', 'Scaled-BN m=0.9'];
const CHARTS = ['chart-test-acc', 'chart-train-acc', 'chart-train-loss', 'chart-test-loss', 'chart-logits', 'chart-weight-norms'];
/** The independent reader of TensorBoard event files (Python's protobuf; scripts/ensure-deps.sh --tests installs it). */
const TFEVENTS_READER = path.resolve('test/system/tfevents/read_tfevents.py');
/** Both runs of the quick config: a few seconds each, more on a busy machine. */
const TRAINING_TIMEOUT_MS = 240_000;

export const runExperimentSteps: UiStep[] = [
  {
    name: 'should open the example config in the editor',
    async run({ page, artifacts }) {
      await openFile(page, CONFIG);
      await screenshot(page, artifacts, 'ui-1-config');
    },
  },
  {
    name: 'should run "Loss Lab: Run Experiment" from the command palette and open the results panel',
    async run({ page, artifacts }) {
      await runFromPalette(page, 'Loss Lab: Run Experiment');
      await page.locator('iframe.webview.ready').waitFor({ state: 'attached', timeout: 60_000 });
      await webviewFrame(page).locator('#comparison-table').waitFor({ state: 'attached', timeout: 30_000 });
      await screenshot(page, artifacts, 'ui-2-running');
    },
  },
  {
    name: 'should show every run done in the panel',
    async run({ page }) {
      const frame = webviewFrame(page);
      await waitFor(
        'two runs marked done in #run-status',
        async () => {
          const states = await frame.locator('#run-status li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.state));
          if (states.some((s) => s === 'failed' || s === 'stopped')) throw new Error(`a run ended ${states.join(', ')}`);
          return states.length === 2 && states.every((s) => s === 'done') ? true : undefined;
        },
        TRAINING_TIMEOUT_MS,
        1000,
      );
    },
  },
  {
    name: 'should leave TensorBoard event files in each run folder that an independent reader accepts',
    async run({ workspace }) {
      const experiment = EXPERIMENT_DIR(workspace);
      const runDirs = fs
        .readdirSync(experiment, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => path.join(experiment, d.name));
      assert.equal(runDirs.length, LOSSES.length, `run folders: ${runDirs.join(', ')}`);
      for (const dir of runDirs) {
        // Python's protobuf decoding TensorFlow's Event message (test/system/tfevents/), not Loss Lab's own code.
        const r = spawnSync('/usr/bin/python3', [TFEVENTS_READER, dir], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${dir}: ${r.stderr || r.error?.message}`);
        const events = (JSON.parse(r.stdout) as { files: { events: { step: number; values?: { tag: string; simple_value?: number }[] }[] }[] }).files.flatMap((f) => f.events);
        const testAcc = events.flatMap((e) => (e.values ?? []).filter((v) => v.tag === 'test/accuracy').map((v) => v.simple_value));
        const metrics = fs
          .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { testAcc: number });
        assert.deepEqual(
          testAcc,
          metrics.map((m) => Math.fround(m.testAcc)),
          `${dir}: test/accuracy per epoch`,
        );
      }
    },
  },
  {
    name: 'should draw data in every chart',
    async run({ page, artifacts }) {
      const frame = webviewFrame(page);
      const points = await waitFor(
        'data points in all six charts',
        async () => {
          const counts = await Promise.all(CHARTS.map(async (id) => Number(await frame.locator(`#${id}`).getAttribute('data-points'))));
          return counts.every((n) => n > 0) ? counts : undefined;
        },
        30_000,
      ).catch(async (e: Error) => {
        const counts = await Promise.all(CHARTS.map(async (id) => `${id}=${await frame.locator(`#${id}`).getAttribute('data-points')}`));
        throw new Error(`${e.message} (${counts.join(', ')})`);
      });
      assert.equal(points.length, CHARTS.length);
      // data-points is what the page says it plotted; coloured pixels show that Chart.js really
      // painted series (axes and text are grey), i.e. the canvas was not left blank by an error.
      for (const id of CHARTS) {
        const coloured = await frame.locator(`#${id}`).evaluate((canvas: HTMLCanvasElement) => {
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
          let n = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) n++;
          return n;
        });
        assert.ok(coloured > 50, `#${id}: only ${coloured} coloured pixels`);
      }
      await runFromPalette(page, 'Notifications: Clear All Notifications'); // the "finished" toast would cover the panel
      await screenshot(page, artifacts, 'ui-3-results');
      await screenshot(page.locator('iframe.webview.ready'), artifacts, 'ui-3-results-panel');
    },
  },
  {
    name: 'should draw the sweep chart: final test accuracy against m, CE as a flat reference',
    async run({ page, artifacts }) {
      const frame = webviewFrame(page);
      const chart = frame.locator('#sweep-loss-m');
      // Scaled-BN at its one value of m (mean and the band's two edges: 3 points), CE flat across the axis (2 × 3).
      const points = await waitFor(
        'data points in the sweep chart',
        async () => {
          const n = Number(await chart.getAttribute('data-points', { timeout: 1000 }).catch(() => 0));
          return n >= 9 ? n : undefined;
        },
        30_000,
      );
      assert.equal(points, 9);
      assert.equal(await frame.locator('#sweeps').isHidden(), false, 'the Sweeps section is shown');
      assert.match((await frame.locator('#sweeps figcaption').first().textContent()) ?? '', /against m/);
      await chart.scrollIntoViewIfNeeded();
      const coloured = await chart.evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) n++;
        return n;
      });
      assert.ok(coloured > 10, `#sweep-loss-m: only ${coloured} coloured pixels`);
      await screenshot(chart, artifacts, 'ui-3c-sweep');
    },
  },
  {
    name: 'should smooth the curves (raw points kept faint behind), switch an axis to linear, and keep both after the panel reloads',
    async run({ page, artifacts }) {
      const points = async (id: string) => Number(await webviewFrame(page).locator(`#${id}`).getAttribute('data-points'));
      const before = await points('chart-test-acc');
      await webviewFrame(page)
        .locator('#smoothing')
        .evaluate((el: HTMLInputElement) => {
          el.value = '0.6';
          el.dispatchEvent(new Event('input', { bubbles: true }));
        });
      // Each run gets its smoothed line beside the recorded one: twice the points.
      await waitFor('smoothed lines drawn', async () => ((await points('chart-test-acc')) === 2 * before ? true : undefined), 10_000);
      const toggle = webviewFrame(page).locator('button.axis-toggle[data-metric="trainLoss"]');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true', 'the loss charts start on a log axis');
      await toggle.focus();
      await page.keyboard.press('Enter');
      await waitFor('the train loss axis switched to linear', async () => ((await toggle.getAttribute('aria-pressed')) === 'false' ? true : undefined), 10_000);
      await screenshot(page.locator('iframe.webview.ready'), artifacts, 'ui-3b-smoothed');

      await runFromPalette(page, 'Developer: Reload Webviews');
      const frame = webviewFrame(page);
      await waitFor(
        'the reloaded panel with its smoothing and axis as they were',
        async () => {
          const smoothing = await frame
            .locator('#smoothing-value')
            .textContent({ timeout: 1000 })
            .catch(() => undefined);
          const pressed = await frame
            .locator('button.axis-toggle[data-metric="trainLoss"]')
            .getAttribute('aria-pressed', { timeout: 1000 })
            .catch(() => undefined);
          const drawn = await points('chart-test-acc').catch(() => 0);
          return smoothing === '0.60' && pressed === 'false' && drawn === 2 * before ? true : undefined;
        },
        60_000,
        500,
      );
    },
  },
  {
    name: 'should hide a run with its checkbox in the run list, highlight one on hover, and keep the hidden run after a reload',
    async run({ page, artifacts }) {
      const frame = webviewFrame(page);
      const points = async () => Number(await frame.locator('#chart-test-acc').getAttribute('data-points', { timeout: 1000 }));
      const entries = frame.locator('#run-list li');
      assert.equal(await entries.count(), LOSSES.length, 'one entry per run');
      const before = await points();
      const first = entries.first();
      const hiddenRun = await first.getAttribute('data-run-id');
      // One run of two, each a recorded and a smoothed line: half the points go.
      await first.locator('input[type="checkbox"]').focus();
      await page.keyboard.press('Space');
      await waitFor('the unticked run gone from the chart', async () => ((await points()) === before / 2 ? true : undefined), 10_000);
      assert.equal(await first.getAttribute('data-visible'), 'false');
      await entries.nth(1).hover();
      await waitFor('the hovered entry highlighted', async () => ((await entries.nth(1).getAttribute('class'))?.includes('highlighted') ? true : undefined), 5000);
      await screenshot(page.locator('iframe.webview.ready'), artifacts, 'ui-3d-run-hidden');

      await runFromPalette(page, 'Developer: Reload Webviews');
      const reloaded = webviewFrame(page);
      await waitFor(
        'the reloaded panel with the run still hidden',
        async () => {
          const entry = reloaded.locator(`#run-list li[data-run-id="${hiddenRun}"]`);
          const ticked = await entry.locator('input').isChecked({ timeout: 1000 });
          return !ticked && (await points()) === before / 2 ? true : undefined;
        },
        60_000,
        500,
      );
      await reloaded.locator(`#run-list li[data-run-id="${hiddenRun}"] input`).focus();
      await page.keyboard.press('Space');
      await waitFor('the run drawn again', async () => ((await points()) === before ? true : undefined), 10_000);
    },
  },
  {
    name: 'should switch the x axis to wall time and to steps, and back to epochs',
    async run({ page, workspace }) {
      const frame = webviewFrame(page);
      const range = async (id: string) => ['data-x-min', 'data-x-max'].map(async (a) => Number(await frame.locator(`#${id}`).getAttribute(a, { timeout: 1000 })));
      const xRange = async (id: string) => Promise.all(await range(id));
      const pick = (mode: string) => frame.locator('#x-axis').selectOption(mode);
      // One epoch with step points: the axis spans the epoch, from 0 (its first steps sit at 1/4, 2/4, …) to 1.
      assert.deepEqual(await xRange('chart-test-acc'), [0, 1], 'one epoch of step points');
      const runDirs = fs.readdirSync(EXPERIMENT_DIR(workspace)).filter((d) => fs.existsSync(path.join(EXPERIMENT_DIR(workspace), d, 'metrics.jsonl')));
      const lines = (dir: string, file: string) => {
        const f = path.join(EXPERIMENT_DIR(workspace), dir, file);
        return fs.existsSync(f)
          ? fs
              .readFileSync(f, 'utf8')
              .trim()
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l) as Record<string, number>)
          : [];
      };
      const longest = Math.max(...runDirs.map((d) => lines(d, 'metrics.jsonl').reduce((a, m) => a + m.seconds, 0)));

      await pick('wall');
      // Wall time from 0 to at least the longest run's summed epoch seconds.
      // The chart says which axis it drew: runs of under a second span [0, 1] on either.
      await waitFor(
        'a wall-time axis',
        async () => {
          const [min, max] = await xRange('chart-test-acc');
          const mode = await frame.locator('#chart-test-acc').getAttribute('data-x-axis', { timeout: 1000 });
          return mode === 'wall' && min === 0 && max >= longest ? [min, max] : undefined;
        },
        10_000,
      );

      await pick('step');
      const steps = runDirs.flatMap((d) => lines(d, 'steps.jsonl'));
      assert.ok(steps.length > 0, 'the runs recorded step points (steps.jsonl)');
      // The axis ends at the last epoch's last step, and the train chart draws every step.
      const perEpoch = steps.at(-1)!.stepsPerEpoch;
      await waitFor(`a step axis to ${perEpoch}`, async () => ((await xRange('chart-train-loss'))[1] === perEpoch ? true : undefined), 10_000);
      const drawn = Number(await frame.locator('#chart-train-loss').getAttribute('data-points'));
      assert.ok(drawn >= steps.length, `${drawn} points drawn for ${steps.length} recorded steps`);
      await pick('epoch');
      await waitFor(
        'the epoch axis back',
        async () => {
          const [min, max] = await xRange('chart-test-acc');
          return min === 0 && max === 1 ? true : undefined;
        },
        10_000,
      );
    },
  },
  {
    name: 'should zoom a chart by dragging across it, keep the zoom through y log/linear, and reset it with a double-click',
    async run({ page }) {
      const frame = webviewFrame(page);
      const canvas = frame.locator('#chart-test-acc');
      await canvas.scrollIntoViewIfNeeded();
      const xRange = async () => Promise.all(['data-x-min', 'data-x-max'].map(async (a) => Number(await canvas.getAttribute(a))));
      const box = (await canvas.boundingBox())!;
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width * 0.45, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.75, y, { steps: 6 });
      await page.mouse.up();
      const [min, max] = await waitFor(
        'a zoomed x range',
        async () => {
          const r = await xRange();
          // The whole range is epoch 1's steps, 0 to 1.
          return r[0] > 0 && r[1] < 1 ? r : undefined;
        },
        10_000,
      );
      assert.ok(max - min < 0.5, `zoomed to ${min}–${max}`);
      assert.equal(await frame.locator('button.zoom-reset[data-metric="testAcc"]').isEnabled(), true, 'Reset zoom offered');
      // The y axis to log and back: the x zoom stays, and so does Reset zoom.
      const yToggle = frame.locator('button.axis-toggle[data-metric="testAcc"]');
      for (const expected of ['y: log', 'y: linear']) {
        await yToggle.click();
        await waitFor(`the y axis ${expected}`, async () => ((await yToggle.textContent()) === expected ? true : undefined), 10_000);
        assert.deepEqual(await xRange(), [min, max], `the zoom after ${expected}`);
        assert.equal(await frame.locator('button.zoom-reset[data-metric="testAcc"]').isEnabled(), true, `Reset zoom after ${expected}`);
      }
      await canvas.dblclick();
      await waitFor(
        'the whole range back',
        async () => {
          const r = await xRange();
          return r[0] === 0 && r[1] === 1 ? true : undefined;
        },
        10_000,
      );
    },
  },
  {
    name: 'should save a chart as SVG (one path per run, on the chart’s scales) and as PNG',
    async run({ page, workspace, artifacts }) {
      const frame = webviewFrame(page);
      await frame.locator('button.save-chart[data-metric="testAcc"][data-format="svg"]').focus();
      await page.keyboard.press('Enter');
      const svgFile = path.join(EXPERIMENT_DIR(workspace), 'e2e-quick-test-accuracy.svg');
      assert.equal(await acceptSaveDialog(page), svgFile, 'the save dialog suggests the experiment folder');
      const svg = await waitFor(
        `${svgFile} written`,
        async () => (fs.existsSync(svgFile) && fs.readFileSync(svgFile, 'utf8').trimEnd().endsWith('</svg>') ? fs.readFileSync(svgFile, 'utf8') : undefined),
        15_000,
      );
      fs.copyFileSync(svgFile, path.join(artifacts, 'ui-5-test-accuracy.svg'));
      await waitFor('the notice', async () => ((await frame.locator('#curves-notice').textContent())?.includes(svgFile) ? true : undefined), 10_000);

      // Each run's recorded line is one path; its one point (one epoch) lies on the chart's scales:
      // x on the grid line of epoch 1, y where its test accuracy falls between two labelled y ticks.
      const yTicks = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" text-anchor="end">([\d.]+)<\/text>/g)].map((m) => ({ y: Number(m[1]) - 4, value: Number(m[2]) }));
      assert.ok(yTicks.length >= 2, `y tick labels in the SVG:\n${svg}`);
      const [a, b] = [yTicks[0], yTicks.at(-1)!];
      const pixelOf = (value: number) => a.y + ((value - a.value) / (b.value - a.value)) * (b.y - a.y);
      const epochLine = Number(/<line x1="([\d.]+)" y1="[\d.]+" x2="\1"/.exec(svg)?.[1]);
      for (const dir of fs.readdirSync(EXPERIMENT_DIR(workspace)).filter((d) => fs.existsSync(path.join(EXPERIMENT_DIR(workspace), d, 'metrics.jsonl')))) {
        const metrics = JSON.parse(
          fs
            .readFileSync(path.join(EXPERIMENT_DIR(workspace), dir, 'metrics.jsonl'), 'utf8')
            .trim()
            .split('\n')[0],
        ) as { testAcc: number };
        const label = JSON.parse(fs.readFileSync(path.join(EXPERIMENT_DIR(workspace), dir, 'config.json'), 'utf8')) as { lossLabel: string };
        const match = new RegExp(`<path data-run="${label.lossLabel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · [^"]*seed 1" d="M([\\d.]+) ([\\d.]+)"`).exec(svg);
        assert.ok(match, `no path for ${label.lossLabel}:\n${svg}`);
        assert.ok(Math.abs(Number(match[1]) - epochLine) < 0.6, `${label.lossLabel}: x ${match[1]}, epoch 1 at ${epochLine}`);
        assert.ok(Math.abs(Number(match[2]) - pixelOf(metrics.testAcc * 100)) < 1, `${label.lossLabel}: y ${match[2]}, ${metrics.testAcc * 100}% at ${pixelOf(metrics.testAcc * 100)}`);
      }

      await frame.locator('button.save-chart[data-metric="trainLoss"][data-format="png"]').focus();
      await page.keyboard.press('Enter');
      const pngFile = path.join(EXPERIMENT_DIR(workspace), 'e2e-quick-train-loss.png');
      assert.equal(await acceptSaveDialog(page), pngFile);
      const png = await waitFor(`${pngFile} written`, async () => (fs.existsSync(pngFile) && fs.statSync(pngFile).size > 0 ? PNG.sync.read(fs.readFileSync(pngFile)) : undefined), 15_000);
      // Print quality: three image pixels per pixel the chart has on screen, whatever the screen.
      const onScreen = await frame.locator('#chart-train-loss').evaluate((c) => c.getBoundingClientRect().width);
      assert.ok(png.width >= 3 * Math.floor(onScreen) && png.height > 300, `${png.width} × ${png.height} for a chart ${onScreen} px wide`);
    },
  },
  {
    name: 'should save the sweep chart as SVG: CE flat with dotted ± std edges, Scaled-BN at its value of m',
    async run({ page, workspace }) {
      const frame = webviewFrame(page);
      await frame.locator('#sweeps button.save-figure[data-format="svg"]').first().focus();
      await page.keyboard.press('Enter');
      const svgFile = path.join(EXPERIMENT_DIR(workspace), 'e2e-quick-sweep-loss-m.svg');
      assert.equal(await acceptSaveDialog(page), svgFile, 'the save dialog suggests the experiment folder');
      const svg = await waitFor(
        `${svgFile} written`,
        async () => (fs.existsSync(svgFile) && fs.readFileSync(svgFile, 'utf8').trimEnd().endsWith('</svg>') ? fs.readFileSync(svgFile, 'utf8') : undefined),
        15_000,
      );
      assert.match(svg, /<path data-run="CE" d="M[\d.]+ ([\d.]+) L[\d.]+ \1"/, 'CE flat across the chart');
      assert.equal((svg.match(/<path data-run="CE mean [−+] std"[^>]*stroke-dasharray="2 3"/g) ?? []).length, 2, svg);
      assert.match(svg, /<path data-run="Scaled-BN"/);
    },
  },
  {
    name: 'should fill the comparison table with one row per loss',
    async run({ page }) {
      const rows = await webviewFrame(page)
        .locator('#comparison-table tbody tr')
        .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').trim())));
      assert.equal(rows.length, LOSSES.length, `rows: ${JSON.stringify(rows)}`);
      for (const loss of LOSSES) {
        const row = rows.find((r) => r[0] === loss || r.includes(loss));
        assert.ok(row, `no row for ${loss}: ${JSON.stringify(rows)}`);
        assert.ok(
          row.slice(1).some((cell) => /\d+\.\d+/.test(cell)),
          `row ${loss} has no accuracy: ${JSON.stringify(row)}`,
        );
      }
    },
  },
  {
    name: 'should sort the run table by a column, both ways, and keep the order after the panel reloads',
    async run({ page, artifacts }) {
      const order = async () =>
        webviewFrame(page)
          .locator('#run-table tbody tr')
          .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.runId));
      const header = (key: string) => webviewFrame(page).locator(`#run-table thead button[data-key="${key}"]`);
      const press = async (key: string) => {
        await header(key).focus();
        await page.keyboard.press('Enter');
      };
      const [ceRun, bnRun] = ['simple-cnn-w0.25__ce__seed1', 'simple-cnn-w0.25__scaled-bn-m0.9__seed1'];
      // By loss, ascending: CE before Scaled-BN; again: descending.
      await press('loss');
      await waitFor('rows sorted by loss, ascending', async () => (JSON.stringify(await order()) === JSON.stringify([ceRun, bnRun]) ? true : undefined), 10_000);
      assert.equal(await header('loss').locator('xpath=..').getAttribute('aria-sort'), 'ascending');
      await press('loss');
      await waitFor('rows sorted by loss, descending', async () => (JSON.stringify(await order()) === JSON.stringify([bnRun, ceRun]) ? true : undefined), 10_000);
      // By final accuracy, highest first: the cells' own numbers in descending order.
      await press('finalAcc');
      await press('finalAcc');
      const accs = await waitFor(
        'rows sorted by final accuracy, descending',
        async () => {
          const sorted = (await header('finalAcc').locator('xpath=..').getAttribute('aria-sort')) === 'descending';
          const column = await webviewFrame(page)
            .locator('#run-table thead th')
            .evaluateAll((ths) => ths.findIndex((th) => th.querySelector('button')?.dataset.key === 'finalAcc'));
          const values = await webviewFrame(page)
            .locator('#run-table tbody tr')
            .evaluateAll((trs, i) => trs.map((tr) => Number(tr.children[i]?.textContent)), column);
          return sorted && values.length === 2 ? values : undefined;
        },
        10_000,
      );
      assert.ok(accs.every((v) => Number.isFinite(v)) && accs[0] >= accs[1], `final accuracies ${accs.join(', ')}`);
      const sortedOrder = await order();
      await screenshot(page.locator('iframe.webview.ready'), artifacts, 'ui-3d-run-table-sorted');

      await runFromPalette(page, 'Developer: Reload Webviews');
      await waitFor(
        'the reloaded run table, still sorted by final accuracy',
        async () => {
          const sort = await header('finalAcc').locator('xpath=..').getAttribute('aria-sort', { timeout: 1000 });
          return sort === 'descending' && JSON.stringify(await order()) === JSON.stringify(sortedOrder) ? true : undefined;
        },
        60_000,
        500,
      );
    },
  },
  {
    name: 'should export the table as Markdown from the panel',
    async run({ page, workspace, artifacts }) {
      // By keyboard, as the panel promises; the "finished" notification may cover the button for a mouse.
      // Focus can be lost to a re-render of the panel after the previous step's reload: focus until it holds.
      const button = webviewFrame(page).locator('#export-md');
      await waitFor(
        'the Markdown export button focused',
        async () => {
          await button.focus();
          return (await button.evaluate((el) => el === el.ownerDocument.activeElement)) ? true : undefined;
        },
        10_000,
      );
      await page.keyboard.press('Enter');
      const suggested = await acceptSaveDialog(page);
      const file = path.join(EXPERIMENT_DIR(workspace), 'e2e-quick-table.md');
      assert.equal(suggested, file, 'the save dialog suggests the experiment folder');
      const text = await waitFor(`${file} written`, async () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined), 15_000);
      for (const loss of LOSSES) assert.ok(text.includes(`| ${loss}`), `no Markdown row for ${loss}:\n${text}`);
      await screenshot(page, artifacts, 'ui-4-exported');
    },
  },
  {
    // Not the system browser: a browser workbench cannot reach it.
    name: "should export the focused panel's experiment without asking which or opening a tab, and open the report from the notification",
    async run({ page, workspace, artifacts }) {
      await runFromPalette(page, 'Notifications: Clear All Notifications');
      // The panel in view draws the report's figures itself: no tab may open, not even for a moment.
      const tabs = () => page.locator('.tabs-container .tab').evaluateAll((els) => els.map((t) => t.getAttribute('aria-label') ?? ''));
      const tabsBefore = await tabs();
      const seen = new Set<string>();
      let watching = true;
      const watch = (async () => {
        while (watching) {
          for (const t of await tabs().catch(() => [])) seen.add(t);
          await page.waitForTimeout(100);
        }
      })();
      const exportStarted = Date.now();
      // The e2e-quick panel has the focus (the last step exported its table): no experiment pick.
      await runFromPalette(page, 'Loss Lab: Export Report');
      const picks = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'e2e-quick', visible: true });
      await page.waitForTimeout(2000);
      assert.equal(await picks.count(), 0, 'Export Report asked which experiment although its panel has the focus');
      // Writing the report draws its figures in a webview first: allow for that.
      const button = page.locator('.notification-toast .monaco-button').filter({ hasText: /^Open Report$/ });
      await button.first().waitFor({ state: 'visible', timeout: 180_000 });
      watching = false;
      await watch;
      assert.deepEqual(
        [...seen].filter((t) => !tabsBefore.includes(t)),
        [],
        'a tab opened while the report was written',
      );
      const reportDir = path.join(EXPERIMENT_DIR(workspace), 'report');
      const pngs = fs.readdirSync(reportDir).filter((f) => f.endsWith('.png') && fs.statSync(path.join(reportDir, f)).mtimeMs >= exportStarted - 1000);
      assert.ok(pngs.includes('table.png') && pngs.some((f) => f.startsWith('curves-')), `the report's figures written anew: ${pngs.join(', ')}`);
      for (const f of pngs) assert.ok(PNG.sync.read(fs.readFileSync(path.join(reportDir, f))).width > 100, `${f} is an image`);
      await button.first().click();
      const title = await waitFor(
        'the report page in a webview',
        async () => {
          const frames = page.locator('iframe.webview.ready');
          for (let i = 0; i < (await frames.count()); i++) {
            const frame = page.frameLocator(`iframe.webview.ready >> nth=${i}`).frameLocator('#active-frame');
            const ready = await frame.locator('body[data-report-state="ready"]').count();
            const h1 = ready ? await frame.locator('h1').first().textContent({ timeout: 1000 }) : undefined;
            if (h1) return { h1, frame };
          }
          return undefined;
        },
        60_000,
        500,
      );
      assert.equal(title.h1, 'Loss Lab report: e2e-quick');
      const rows = await title.frame.locator('#table table tbody tr').count();
      assert.ok(rows >= LOSSES.length, `the report's comparison table has ${rows} rows`);
      await screenshot(page, artifacts, 'ui-5-report');
    },
  },
];
