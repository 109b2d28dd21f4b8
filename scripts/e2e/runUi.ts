/**
 * The UI layer: installs the packaged .vsix into a fresh code-server, so that what is
 * tested is what ships, opens the workbench in headless Chromium and plays the steps of
 * test/ui as a person would. Steps depend on each other: after a failure the rest are skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { SuiteReport } from '../../test/integration/index';
import { customLossSteps } from '../../test/ui/customLoss.ui';
import { newExperimentSteps } from '../../test/ui/newExperiment.ui';
import { panelFeatureSteps } from '../../test/ui/panelFeatures.ui';
import { panelPolishSteps } from '../../test/ui/panelPolish.ui';
import { reportAndCompareSteps } from '../../test/ui/reportAndCompare.ui';
import { runExperimentSteps } from '../../test/ui/runExperiment.ui';
import { stopAndNativeSteps } from '../../test/ui/stopAndNative.ui';
import { tuningSteps } from '../../test/ui/tuning.ui';
import { screenshot } from '../../test/ui/workbench';
import { launchBrowser, newWorkbenchPage, waitForWorkbench } from './browser';
import { homeDirs, installExtension, startCodeServer } from './codeServer';
import { REPO, scratchWorkspace } from './runIntegration';

export async function runUi(vsix: string, artifacts = path.join(REPO, 'test-artifacts')): Promise<SuiteReport> {
  const { home, workspace } = scratchWorkspace('ui');
  fs.mkdirSync(artifacts, { recursive: true });
  for (const f of fs.readdirSync(artifacts)) if (/^ui-.*\.png$/.test(f)) fs.rmSync(path.join(artifacts, f));
  installExtension(home, vsix);
  const extensions = homeDirs(home).extensions;
  const installed = fs.readdirSync(extensions).find((d) => d.startsWith('loss-lab.loss-lab-'));
  if (!installed) throw new Error(`the .vsix did not install into ${extensions}`);
  const extensionDir = path.join(extensions, installed);
  // The native engine is built into this scratch home, as on a machine that never had it.
  const server = await startCodeServer({ workspace, home, trust: true, env: { LOSSLAB_NATIVE_DIR: path.join(home, 'native') } });
  const report: SuiteReport = { passed: 0, failed: 0, skipped: 0, tests: [] };
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = await newWorkbenchPage(browser);
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}`);
    await waitForWorkbench(page);
    for (const step of [...runExperimentSteps, ...customLossSteps, ...reportAndCompareSteps, ...stopAndNativeSteps, ...newExperimentSteps, ...tuningSteps, ...panelFeatureSteps, ...panelPolishSteps]) {
      const title = `UI: ${step.name}`;
      if (report.failed > 0) {
        report.skipped++;
        report.tests.push({ title, state: 'skipped' });
        continue;
      }
      const t0 = Date.now();
      try {
        await step.run({ page, workspace, artifacts, extensionDir });
        report.passed++;
        report.tests.push({ title, state: 'passed', ms: Date.now() - t0 });
      } catch (e) {
        report.failed++;
        report.tests.push({ title, state: 'failed', ms: Date.now() - t0, error: (e as Error).stack ?? String(e) });
        await screenshot(page, artifacts, 'ui-failed').catch(() => undefined);
      }
      console.log(`  ${report.tests.at(-1)!.state === 'passed' ? '✔' : '✖'} ${title} (${Date.now() - t0} ms)`);
    }
  } finally {
    await browser?.close();
    await server.stop();
    if (report.failed > 0 || process.env.LOSSLAB_E2E_KEEP) console.log(`  kept ${home} (code-server log: ${server.log})`);
    else fs.rmSync(home, { recursive: true, force: true });
  }
  return report;
}
