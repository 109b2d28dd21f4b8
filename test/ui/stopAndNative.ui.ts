/**
 * Stopping and the native engine with the installed extension: Stop Experiment from the Loss
 * Lab view's title while a long run trains; Build Native Engine from the palette (the
 * engine's source and headers shipped in the .vsix, compiled against this machine's
 * libtorch), then a run whose config asks for the torch backend.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UiStep } from './runExperiment.ui';
import { readJson, runConfigFromPalette, runsOnDisk, waitForRunsDone } from './runs';
import { findWebview, runFromPalette, screenshot, waitFor, waitForNotification } from './workbench';

const LONG = 'e2e-long';
const TORCH = 'e2e-torch';
/** One C++ file against libtorch's headers: about 20 s on a free machine, minutes on a busy one. */
const BUILD_TIMEOUT_MS = 480_000;
const TRAINING_TIMEOUT_MS = 300_000;

export const stopAndNativeSteps: UiStep[] = [
  {
    name: 'should stop a long run with the Stop Experiment button of the Loss Lab view and record it stopped',
    async run({ page, workspace, artifacts }) {
      await runConfigFromPalette(page, 'long.losslab.json');
      await waitFor('the long run training', async () => (runsOnDisk(workspace, LONG)[0]?.status.state === 'running' ? true : undefined), 120_000, 500);
      // The activity bar's icon toggles: click it only while another view is shown.
      const title = (await page.locator('.part.sidebar .composite.title').first().textContent()) ?? '';
      if (!/loss lab/i.test(title)) await page.locator('.activitybar .action-item a[aria-label^="Loss Lab"]').click();
      const stop = page.locator('.part.sidebar a.action-label[aria-label^="Stop Experiment"]').first();
      await stop.waitFor({ state: 'visible', timeout: 30_000 });
      await stop.click();
      const run = await waitFor(
        'the run recorded stopped',
        async () => {
          const r = runsOnDisk(workspace, LONG)[0];
          return r?.status.state === 'stopped' ? r : undefined;
        },
        60_000,
        500,
      );
      assert.ok(run.status.epoch < 50, `stopped after ${run.status.epoch} epochs`);
      const frame = await findWebview(page, '#run-status', 30_000);
      await waitFor('the panel showing the run stopped', async () => ((await frame.locator('#run-status li[data-state="stopped"]').count()) === 1 ? true : undefined), 30_000);
      await screenshot(page, artifacts, 'ui-13-stopped');
    },
  },
  {
    name: 'should build the native engine with "Loss Lab: Build Native Engine"',
    async run({ page, artifacts }) {
      await runFromPalette(page, 'Notifications: Clear All Notifications');
      await runFromPalette(page, 'Loss Lab: Build Native Engine');
      const { text } = await waitForNotification(page, /Native engine (built|already up to date|not built)/, BUILD_TIMEOUT_MS);
      assert.match(text, /Native engine built in .* for /, text);
      await screenshot(page, artifacts, 'ui-14-native-engine');
      await runFromPalette(page, 'Notifications: Clear All Notifications');
    },
  },
  {
    name: 'should train a config whose backend is torch on the engine just built',
    async run({ page, workspace, artifacts }) {
      const quick = readJson<Record<string, unknown>>(path.join(workspace, 'quick.losslab.json'));
      const config = { ...quick, name: TORCH, description: 'The quick experiment on the native engine.', losses: [{ name: 'ce' }], backend: 'torch' };
      fs.writeFileSync(path.join(workspace, 'torch.losslab.json'), JSON.stringify(config, null, 2));
      await runConfigFromPalette(page, 'torch.losslab.json');
      await waitForRunsDone(page, 1, TRAINING_TIMEOUT_MS);
      const [run] = runsOnDisk(workspace, TORCH);
      assert.match(run.status.backend ?? '', /^torch/, JSON.stringify(run.status));
      const summary = readJson<{ backend: string }>(path.join(run.dir, 'summary.json'));
      assert.match(summary.backend, /^torch/, `summary backend ${summary.backend}`);
      await runFromPalette(page, 'Notifications: Clear All Notifications');
      await screenshot(page, artifacts, 'ui-15-torch-run');
    },
  },
];
