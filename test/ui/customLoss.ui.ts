/**
 * A custom loss, as a person writes one with the installed extension: New Loss from the
 * palette, Check Loss on it (and on a module with a wrong gradient), the checks failing
 * when the installation lacks its module compiler, then a run of the config New Loss wrote.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { UiStep } from './runExperiment.ui';
import { readJson, runConfigFromPalette, runsOnDisk, shrinkConfig, waitForRunsDone } from './runs';
import { answerInput, closeAllEditors, openFile, runFromPalette, screenshot, waitFor, waitForNotification, waitForOutput } from './workbench';

const NAME = 'myfocal';
const PLANTED = path.resolve('test/fixtures/planted-losses/gradient-off-1.5pct.ts');
const GRADIENT_CHECK = 'gradients match finite differences';
/** Check Loss forks the CLI, which loads tfjs and runs a few hundred small steps. */
const CHECK_TIMEOUT_MS = 180_000;
const TRAINING_TIMEOUT_MS = 300_000;

/** Check Loss on the active editor's module; returns the toast's text once shown, and its Show Checks button. */
async function checkActiveModule(page: Page, module: string, options: string) {
  await runFromPalette(page, 'Notifications: Clear All Notifications');
  await runFromPalette(page, 'Loss Lab: Check Loss');
  await answerInput(page, options);
  const shown = await waitForNotification(page, new RegExp(`Check Loss ${module.replace('.', '\\.')}`), CHECK_TIMEOUT_MS);
  return { ...shown, showChecks: shown.toast.locator('.monaco-button').filter({ hasText: /^Show Checks$/ }) };
}

export const customLossSteps: UiStep[] = [
  {
    name: 'should write a loss module and its config with "Loss Lab: New Loss" and open the module',
    async run({ page, workspace, artifacts }) {
      await closeAllEditors(page);
      await runFromPalette(page, 'Loss Lab: New Loss');
      await answerInput(page, NAME);
      const module = path.join(workspace, 'losses', `${NAME}.ts`);
      const config = path.join(workspace, `${NAME}.losslab.json`);
      await waitFor('the module and config on disk', async () => (fs.existsSync(module) && fs.existsSync(config) ? true : undefined), 15_000);
      assert.match(fs.readFileSync(module, 'utf8'), /export default function createLoss/);
      const losses = readJson<{ losses: { name: string; module?: string }[] }>(config).losses;
      assert.deepEqual(
        losses.map((l) => l.module ?? l.name),
        ['ce', `./losses/${NAME}.ts`],
      );
      await page.locator(`.tabs-container .tab.active[aria-label^="${NAME}.ts"]`).waitFor({ state: 'visible', timeout: 15_000 });
      // The config it wrote is announced, with a button that opens it.
      const { text, toast } = await waitForNotification(page, new RegExp(`wrote losses/${NAME}\\.ts .* and ${NAME}\\.losslab\\.json`), 15_000);
      assert.match(text, /run that config to compare them/, text);
      assert.equal(readJson<{ backend: string }>(config).backend, 'auto', 'the config trains on the fastest engine there is');
      await screenshot(page, artifacts, 'ui-6-new-loss');
      await toast
        .locator('.monaco-button')
        .filter({ hasText: /^Open Config$/ })
        .click();
      await page.locator(`.tabs-container .tab.active[aria-label^="${NAME}.losslab.json"]`).waitFor({ state: 'visible', timeout: 15_000 });
      await openFile(page, `${NAME}.ts`);
    },
  },
  {
    name: 'should pass every check of "Loss Lab: Check Loss" on the new module, in the notification and the output',
    async run({ page, artifacts }) {
      const { text, showChecks } = await checkActiveModule(page, `${NAME}.ts`, '{"gamma": 2}');
      assert.match(text, /all \d+ checks passed/, text);
      await showChecks.click();
      const output = await waitForOutput(page, new RegExp(`✓ passed ${GRADIENT_CHECK}: 0 of \\d+ coordinates off`), 30_000);
      assert.ok(!output.includes('FAILED'), output);
      await screenshot(page, artifacts, 'ui-7-check-loss-passed');
    },
  },
  {
    name: 'should show the gradient check FAILED on a module whose gradient is 1.5 % off',
    async run({ page, workspace, artifacts }) {
      fs.copyFileSync(PLANTED, path.join(workspace, 'losses', 'gradient-off.ts'));
      await openFile(page, 'gradient-off.ts');
      const { text, showChecks } = await checkActiveModule(page, 'gradient-off.ts', '{}');
      assert.match(text, new RegExp(`checks passed; failed: ${GRADIENT_CHECK}$`), text);
      await showChecks.click();
      await waitForOutput(page, new RegExp(`✗ FAILED ${GRADIENT_CHECK}: [1-9]\\d* of \\d+ coordinates off`), 30_000);
      await screenshot(page, artifacts, 'ui-8-check-loss-failed');
    },
  },
  {
    name: 'should say the module compiler is missing when it is removed from the installed extension (then restored)',
    async run({ page, extensionDir, artifacts }) {
      const compiler = path.join(extensionDir, 'dist', 'moduleCompiler.js');
      assert.ok(fs.existsSync(compiler), `${compiler} is installed`);
      const aside = `${compiler}.aside`;
      fs.renameSync(compiler, aside);
      try {
        await openFile(page, `${NAME}.ts`);
        const { text, showChecks } = await checkActiveModule(page, `${NAME}.ts`, '{}');
        assert.match(text, /failed: module loads/, text);
        await showChecks.click();
        await waitForOutput(page, /module compiler, which is missing from this installation/, 30_000);
        await screenshot(page, artifacts, 'ui-9-compiler-missing');
      } finally {
        fs.renameSync(aside, compiler);
      }
      await runFromPalette(page, 'View: Hide Panel'); // the output would shrink the panels of the next steps
    },
  },
  {
    name: "should run New Loss's config (made small) and finish the custom loss's run next to CE",
    async run({ page, workspace, artifacts }) {
      // The person shrinks the example to a quick try: same losses and module, fewer images.
      shrinkConfig(path.join(workspace, `${NAME}.losslab.json`));
      await runConfigFromPalette(page, `${NAME}.losslab.json`);
      await waitForRunsDone(page, 2, TRAINING_TIMEOUT_MS);
      const runs = runsOnDisk(workspace, NAME);
      const custom = runs.find((r) => r.runId.includes(`__custom-${NAME}`));
      assert.ok(custom, `no run of ${NAME}: ${runs.map((r) => r.runId).join(', ')}`);
      const summary = readJson<{ loss: string; finalTestAcc: number }>(path.join(custom.dir, 'summary.json'));
      assert.equal(custom.status.state, 'done');
      assert.ok(summary.finalTestAcc > 0, `final test accuracy ${summary.finalTestAcc}`);
      await runFromPalette(page, 'Notifications: Clear All Notifications');
      await screenshot(page, artifacts, 'ui-10-custom-loss-run');
    },
  },
];
