/**
 * The Tuning section of a search experiment in the installed extension: a finished search written
 * as the search driver leaves it (test/fixtures/searchExperiment.ts), opened with Open Results;
 * then its search.json damaged on disk and the panel read again. The page is reloaded for that:
 * this code-server delivers no file events for files another process writes (the Loss Lab view
 * does not list the fixture either), so the watcher's part is left to the unit tests.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { writeSearchExperiment } from '../fixtures/searchExperiment';
import type { UiStep } from './runExperiment.ui';
import { experimentDir } from './runs';
import { closeAllEditors, findWebview, pickItem, runFromPalette, screenshot, waitFor } from './workbench';

const SEARCHED = 'e2e-search';

const tuningFrame = (page: Page) => findWebview(page, '#tuning:not([hidden]) .tuning-study', 60_000);

async function texts(frame: FrameLocator, selector: string): Promise<string[]> {
  return frame.locator(selector).evaluateAll((els) => els.map((e) => e.textContent ?? ''));
}

export const tuningSteps: UiStep[] = [
  {
    name: 'should show the Tuning section of a search experiment opened with "Loss Lab: Open Results"',
    async run({ page, workspace, artifacts }) {
      writeSearchExperiment(path.dirname(experimentDir(workspace, SEARCHED)), SEARCHED);
      await closeAllEditors(page);
      // The tree lists the new folder once its watcher has seen the files: ask again until the pick has it.
      await waitFor(
        `${SEARCHED} in the experiment pick`,
        async () => {
          await runFromPalette(page, 'Loss Lab: Open Results');
          const ok = await pickItem(page, SEARCHED).then(
            () => true,
            () => false,
          );
          if (!ok) await page.keyboard.press('Escape');
          return ok || undefined;
        },
        60_000,
        1000,
      );
      const frame = await tuningFrame(page);
      assert.deepEqual(await texts(frame, '.tuning-study h3'), ['Simple CNN ×0.5 · CE', 'Simple CNN ×0.5 · Scaled-BN']);
      assert.deepEqual(await texts(frame, '.tuning-chosen'), [
        'Chosen: trial 1: training.lr = 0.1 — 80% validation accuracy at epoch 4',
        'Chosen: trial 1: loss.m = 0.9, loss.eval = batch — 85% validation accuracy at epoch 4',
      ]);
      assert.deepEqual(await texts(frame, '.tuning-budget'), [
        'Budget used: 4 of 4 trials run · 11 of at most 16 epochs used (4 × 4)',
        'Budget used: 3 of 4 trials run · 10 of at most 16 epochs used (4 × 4)',
      ]);
      assert.match((await frame.locator('#tuning-studies > p.hint').textContent()) ?? '', /^Every loss had the same budget: .* on the validation split/);
      // Drawn: every trial's epochs on the curves (4 + 4 + 1 + 2), one point per trial on the scatter.
      const points = await frame.locator('#tuning canvas').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-points'))));
      assert.deepEqual(points, [11, 4, 10, 3, 3]);
      assert.equal(await frame.locator('#tuning button.save-tuning-chart').count(), 2 * 5, 'PNG and SVG on every figure');
      assert.match((await frame.locator('#table-legend').textContent()) ?? '', /final-stage runs only .* on the test split/);
      const headers = await texts(frame, '#run-table thead th');
      for (const h of ['Stage', 'Trial', 'Rung'])
        assert.ok(
          headers.some((t) => t.startsWith(h)),
          `run table column ${h} in ${headers.join(', ')}`,
        );
      await frame.locator('#tuning-heading').scrollIntoViewIfNeeded();
      await screenshot(page, artifacts, 'ui-18-tuning');
    },
  },
  {
    name: 'should leave the Tuning section out with one warning when search.json is damaged, the rest of the panel intact',
    async run({ page, workspace, artifacts }) {
      await tuningFrame(page);
      fs.writeFileSync(path.join(experimentDir(workspace, SEARCHED), 'search.json'), '{"version": 1, "stud');
      await runFromPalette(page, 'Developer: Reload Webviews');
      const frame = await findWebview(page, '#tuning[hidden] ~ section #comparison-table', 60_000);
      await waitFor('the panel read again', async () => ((await frame.locator('#warnings:not([hidden])').count()) === 1 ? true : undefined), 30_000);
      const warnings = (await frame.locator('#warnings').textContent()) ?? '';
      assert.match(warnings, /search\.json: damaged .*; the Tuning section is left out/);
      assert.equal(await frame.locator('#tuning').getAttribute('hidden'), '', 'the Tuning section left out');
      assert.equal(await frame.locator('#run-table tbody tr').count(), 11, 'every run still listed');
      await screenshot(page, artifacts, 'ui-19-tuning-damaged');
    },
  },
];
