/**
 * A person's own experiment with the installed extension: New Experiment from the palette
 * (a preset and a name), then Run Experiment on it with the preset's backend "auto", which
 * takes the native engine built by the steps before.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UiStep } from './runExperiment.ui';
import { readJson, runConfigFromPalette, runsOnDisk, shrinkConfig, waitForRunsDone } from './runs';
import { answerInput, closeAllEditors, pickItem, runFromPalette, screenshot, waitFor } from './workbench';

const NAME = 'my-first';
const WALKTHROUGH_NAME = 'from-walkthrough';
const PRESET = 'Quick Fashion-MNIST';
const TRAINING_TIMEOUT_MS = 300_000;

export const newExperimentSteps: UiStep[] = [
  {
    // The walkthrough re-renders when its step completes (on the command), which took the focus and
    // closed the prompts within 300 ms: nothing was written.
    name: "should write a config from the Get Started walkthrough's New Experiment button",
    async run({ page, workspace, artifacts }) {
      await closeAllEditors(page);
      await runFromPalette(page, 'Welcome: Open Walkthrough...');
      await pickItem(page, 'Get Started with Loss Lab');
      const button = page.locator('.gettingStartedContainer').getByRole('button', { name: 'New Experiment', exact: true });
      await button.first().waitFor({ state: 'visible', timeout: 30_000 });
      await button.first().click();
      await pickItem(page, PRESET);
      await page.waitForTimeout(1000); // the walkthrough re-renders meanwhile; the prompt must stay
      await answerInput(page, WALKTHROUGH_NAME);
      const file = path.join(workspace, `${WALKTHROUGH_NAME}.losslab.json`);
      await waitFor(`${file} written`, async () => (fs.existsSync(file) ? true : undefined), 15_000);
      assert.equal(readJson<{ name: string }>(file).name, WALKTHROUGH_NAME);
      await screenshot(page, artifacts, 'ui-15-walkthrough-new-experiment');
      fs.rmSync(file);
      await closeAllEditors(page);
    },
  },
  {
    name: 'should write a config from a preset with "Loss Lab: New Experiment" and open it',
    async run({ page, workspace, artifacts }) {
      await closeAllEditors(page);
      await runFromPalette(page, 'Loss Lab: New Experiment');
      await pickItem(page, PRESET);
      await answerInput(page, NAME);
      const file = path.join(workspace, `${NAME}.losslab.json`);
      await waitFor(`${file} written`, async () => (fs.existsSync(file) ? true : undefined), 15_000);
      const config = readJson<{ name: string; backend: string; losses: unknown[] }>(file);
      assert.equal(config.name, NAME);
      assert.equal(config.backend, 'auto');
      assert.equal(config.losses.length, 4);
      await page.locator(`.tabs-container .tab.active[aria-label^="${NAME}.losslab.json"]`).waitFor({ state: 'visible', timeout: 15_000 });
      await screenshot(page, artifacts, 'ui-16-new-experiment');
    },
  },
  {
    name: 'should run it (made small) with backend "auto" on the native engine and show every run done',
    async run({ page, workspace, artifacts }) {
      // The person shrinks the preset to a quick try: same losses and backend, fewer images.
      shrinkConfig(path.join(workspace, `${NAME}.losslab.json`));
      await runConfigFromPalette(page, `${NAME}.losslab.json`);
      await waitForRunsDone(page, 4, TRAINING_TIMEOUT_MS);
      const runs = runsOnDisk(workspace, NAME);
      assert.equal(runs.length, 4, runs.map((r) => r.runId).join(', '));
      for (const run of runs) assert.match(run.status.backend ?? '', /^torch/, `${run.runId}: ${JSON.stringify(run.status)}`);
      await runFromPalette(page, 'Notifications: Clear All Notifications');
      await screenshot(page, artifacts, 'ui-17-new-experiment-run');
    },
  },
];
