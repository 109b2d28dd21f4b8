/**
 * The in-host suite: the module that @vscode/test-electron (and the code-server e2e
 * driver, through the workbench's extensionTestsPath) loads into the extension host and
 * awaits `run()` from. Writes a JSON report to $LOSSLAB_E2E_REPORT when set, because a
 * remote extension host's stdout reaches no terminal.
 */
import * as fs from 'node:fs';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { commandTests } from './commands.test';
import { compareTests } from './compare.test';
import { crashTests } from './crash.test';
import { diagnosticsTests } from './diagnostics.test';
import { runActionTests } from './runActions.test';
import { staleTests } from './stale.test';
import { experimentTests } from './experiment.test';
import { stopTests } from './stop.test';
import { trustTests } from './trust.test';

export interface SuiteReport {
  passed: number;
  failed: number;
  skipped: number;
  tests: { title: string; state: 'passed' | 'failed' | 'skipped'; ms?: number; error?: string }[];
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 180_000 });
  // LOSSLAB_E2E_GREP picks tests by title; a leading '!' leaves those out instead.
  const grep = process.env.LOSSLAB_E2E_GREP;
  if (grep?.startsWith('!')) mocha.grep(grep.slice(1)).invert();
  else if (grep) mocha.grep(grep);
  mocha.suite.emit('pre-require', globalThis, 'loss-lab-integration', mocha);
  // Each mode loads only the suites that apply to it, so neither run reports skipped tests:
  // training needs a trusted workspace; the Restricted Mode suite needs an untrusted one.
  const trusted = vscode.workspace.isTrusted;
  commandTests();
  if (trusted) {
    experimentTests();
    crashTests();
    stopTests();
    runActionTests();
    staleTests();
  }
  diagnosticsTests();
  if (!trusted) trustTests();
  compareTests();

  const reportFile = process.env.LOSSLAB_E2E_REPORT;
  const report: SuiteReport = { passed: 0, failed: 0, skipped: 0, tests: [] };
  const record = (entry: SuiteReport['tests'][number]) => {
    report.tests.push(entry);
    report[entry.state === 'passed' ? 'passed' : entry.state === 'failed' ? 'failed' : 'skipped']++;
    // One line per test as it ends, for the driver to show progress.
    if (reportFile) fs.appendFileSync(`${reportFile}.progress`, `${JSON.stringify(entry)}\n`);
  };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (t) => record({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on('fail', (t, err: Error) => record({ title: t.fullTitle(), state: 'failed', error: err.stack ?? String(err) }));
    runner.on('pending', (t) => record({ title: t.fullTitle(), state: 'skipped' }));
  });
  if (reportFile) fs.writeFileSync(reportFile, JSON.stringify(report, null, 2));
  if (report.failed > 0) throw new Error(`${report.failed} integration test(s) failed`);
}
