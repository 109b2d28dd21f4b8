/**
 * A person's first experiment, in code-server with the packaged extension installed:
 * open the example config, run "Loss Lab: Run Experiment" from the palette, watch the
 * results panel draw its curves and fill its table, export the table. Screenshots go to
 * the artifacts folder.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { acceptSaveDialog, openFile, runFromPalette, screenshot, waitFor, webviewFrame } from './workbench';

export interface UiContext {
  page: Page;
  /** The workspace folder code-server opened (a copy of test/fixtures/workspace). */
  workspace: string;
  artifacts: string;
}

export interface UiStep {
  name: string;
  run(ctx: UiContext): Promise<void>;
}

const CONFIG = 'quick.losslab.json';
const EXPERIMENT_DIR = (ws: string) => path.join(ws, '.losslab', 'runs', 'e2e-quick');
const LOSSES = ['CE', 'Scaled-BN m=0.9'];
const CHARTS = ['chart-test-acc', 'chart-train-acc', 'chart-train-loss', 'chart-test-loss', 'chart-logits', 'chart-weight-norms'];
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
          const smoothing = await frame.locator('#smoothing-value').textContent({ timeout: 1000 }).catch(() => undefined);
          const pressed = await frame.locator('button.axis-toggle[data-metric="trainLoss"]').getAttribute('aria-pressed', { timeout: 1000 }).catch(() => undefined);
          const drawn = await points('chart-test-acc').catch(() => 0);
          return smoothing === '0.60' && pressed === 'false' && drawn === 2 * before ? true : undefined;
        },
        60_000,
        500,
      );
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
        assert.ok(row.slice(1).some((cell) => /\d+\.\d+/.test(cell)), `row ${loss} has no accuracy: ${JSON.stringify(row)}`);
      }
    },
  },
  {
    name: 'should export the table as Markdown from the panel',
    async run({ page, workspace, artifacts }) {
      // By keyboard, as the panel promises; the "finished" notification may cover the button for a mouse.
      await webviewFrame(page).locator('#export-md').focus();
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
    // Issue 17, defect 12: the button used the system browser, which a browser workbench cannot reach.
    name: "should open the report in a webview from Export Report's notification",
    async run({ page, artifacts }) {
      await runFromPalette(page, 'Notifications: Clear All Notifications');
      await runFromPalette(page, 'Loss Lab: Export Report');
      await page.locator('.quick-input-widget .quick-input-box input').fill('e2e-quick');
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'e2e-quick' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.press('Enter');
      // Writing the report draws its figures in a webview first: allow for that.
      const button = page.locator('.notification-toast .monaco-button').filter({ hasText: /^Open Report$/ });
      await button.first().waitFor({ state: 'visible', timeout: 180_000 });
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
