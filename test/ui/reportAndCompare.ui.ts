/**
 * Sharing and comparing from the palette with the installed extension: Export Report of the
 * custom-loss experiment, then Open Report of it as a second command; Compare Runs on the
 * quick experiment, two runs ticked in the pick.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { UiStep } from './runExperiment.ui';
import { waitForWorkbench } from '../../scripts/e2e/browser';
import { experimentDir, runsOnDisk } from './runs';
import { closeAllEditors, findWebview, pickItem, runFromPalette, screenshot, waitFor, waitForNotification } from './workbench';

const REPORTED = 'myfocal';
const COMPARED = 'e2e-quick';

/** A command that asks for an experiment when no panel is current: picks it if asked. */
async function answerExperimentPick(page: Page, name: string): Promise<void> {
  const asked = await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ hasText: name })
    .first()
    .waitFor({ state: 'visible', timeout: 10_000 })
    .then(() => true)
    .catch(() => false);
  if (asked) await pickItem(page, name);
}

export const reportAndCompareSteps: UiStep[] = [
  {
    name: 'should write report.html with "Loss Lab: Export Report" for the custom-loss experiment',
    async run({ page, workspace }) {
      await closeAllEditors(page);
      await runFromPalette(page, 'Notifications: Clear All Notifications');
      await runFromPalette(page, 'Loss Lab: Export Report');
      await pickItem(page, REPORTED);
      // The figures are drawn in a webview or by Chromium first: allow for that.
      const { text } = await waitForNotification(page, /report saved to/, 180_000);
      const html = path.join(experimentDir(workspace, REPORTED), 'report', 'report.html');
      assert.ok(text.includes(html), text);
      assert.ok(fs.existsSync(html), `${html} written`);
      await runFromPalette(page, 'Notifications: Clear All Notifications');
    },
  },
  {
    name: 'should show that report in a webview with "Loss Lab: Open Report"',
    async run({ page, artifacts }) {
      await closeAllEditors(page);
      await runFromPalette(page, 'Loss Lab: Open Report');
      await answerExperimentPick(page, REPORTED);
      const frame = await findWebview(page, 'body[data-report-state="ready"]', 60_000);
      assert.equal(await frame.locator('h1').first().textContent(), `Loss Lab report: ${REPORTED}`);
      const rows = await frame.locator('#table table tbody tr').count();
      assert.ok(rows >= 2, `the report's table has ${rows} rows (CE and the custom loss)`);
      await screenshot(page, artifacts, 'ui-11-open-report');
    },
  },
  {
    name: 'should restore the report tab after the window reloads',
    async run({ page }) {
      // As a person reloads: the workbench saves its editors on the way out, which a bare page reload cuts short.
      const navigated = page.waitForNavigation({ timeout: 60_000 });
      await runFromPalette(page, 'Developer: Reload Window').catch(() => undefined); // the page goes away under the palette
      await navigated;
      await waitForWorkbench(page);
      const frame = await findWebview(page, 'body[data-report-state="ready"]', 60_000);
      assert.equal(await frame.locator('h1').first().textContent(), `Loss Lab report: ${REPORTED}`);
    },
  },
  {
    name: 'should compare two runs picked in "Loss Lab: Compare Runs" side by side in the panel',
    async run({ page, workspace, artifacts }) {
      const runIds = runsOnDisk(workspace, COMPARED).map((r) => r.runId);
      assert.equal(runIds.length, 2, `runs of ${COMPARED}: ${runIds.join(', ')}`);
      await closeAllEditors(page);
      await runFromPalette(page, 'Loss Lab: Compare Runs');
      await answerExperimentPick(page, COMPARED);
      // The multi-select pick of runs: tick each, then accept.
      for (const id of runIds) {
        const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: id }).first();
        await row.waitFor({ state: 'visible', timeout: 15_000 });
        await row.locator('.quick-input-list-checkbox, input[type="checkbox"], .monaco-checkbox').first().click();
      }
      await waitFor('both runs ticked', async () => ((await page.locator('.quick-input-widget .quick-input-list .monaco-list-row[aria-checked="true"]').count()) === 2 ? true : undefined), 10_000);
      await page.keyboard.press('Enter');
      const frame = await findWebview(page, '#compare:not([hidden])', 60_000);
      const compared = await waitFor(
        'the compared runs in the config diff',
        async () => {
          const titles = await frame.locator('#config-diff thead th[title]').evaluateAll((ths) => ths.map((th) => th.getAttribute('title')));
          return titles.length === 2 ? titles : undefined;
        },
        30_000,
      );
      assert.deepEqual([...compared].sort(), [...runIds].sort());
      const fields = await frame.locator('#config-diff tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.field));
      assert.ok(
        fields.some((f) => /loss/i.test(f ?? '')),
        `differing fields: ${fields.join(', ')}`,
      );
      // The run list says what the curves draw: the compared runs ticked, the count naming Compare Runs.
      const ticked = await frame.locator('#run-list input[type="checkbox"]').evaluateAll((boxes) => boxes.filter((b) => (b as HTMLInputElement).checked).length);
      assert.equal(ticked, runIds.length);
      assert.match((await frame.locator('#run-list-count').textContent()) ?? '', new RegExp(`^${runIds.length} of \\d+ runs drawn \\(Compare Runs\\)$`));
      await screenshot(page, artifacts, 'ui-12-compare-runs');
    },
  },
  {
    name: 'should open a results panel per experiment, and bring an open one forward instead of replacing another',
    async run({ page, artifacts }) {
      await closeAllEditors(page);
      const resultTabs = () => page.locator('.tabs-container .tab').evaluateAll((tabs) => tabs.map((t) => t.getAttribute('aria-label') ?? '').filter((l) => l.startsWith('Results: ')));
      const open = async (name: string) => {
        await runFromPalette(page, 'Loss Lab: Open Results');
        await pickItem(page, name);
        await page.locator(`.tabs-container .tab.active[aria-label^="Results: ${name}"]`).waitFor({ state: 'visible', timeout: 30_000 });
      };
      await open(COMPARED);
      await open(REPORTED);
      assert.deepEqual((await resultTabs()).map((l) => l.split(',')[0]).sort(), [`Results: ${COMPARED}`, `Results: ${REPORTED}`].sort(), 'the second experiment has a panel of its own');
      await open(COMPARED);
      assert.equal((await resultTabs()).length, 2, 'the open panel came forward; no third one');
      await screenshot(page, artifacts, 'ui-13-panel-per-experiment');
      await closeAllEditors(page);
    },
  },
];
