/**
 * Runs the in-host suite (out/test/integration/index.js) in code-server's real extension
 * host, the way @vscode/test-electron runs it in desktop VS Code: the workbench URL's
 * payload names the extension under development and the tests module, and the workbench
 * reports the exit code through window.codeAutomationExit. LOSSLAB_E2E_EXTENSION points the
 * harness at another extension folder (to try it on a stand-in); LOSSLAB_E2E_KEEP keeps
 * the scratch folders (workspace, logs, report) that a passing run deletes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { SuiteReport } from '../../test/integration/index';
import { launchBrowser, newWorkbenchPage } from './browser';
import { startCodeServer } from './codeServer';

export const REPO = path.resolve(__dirname, '..', '..');

export interface IntegrationOptions {
  /** false opens the workspace in Restricted Mode (a code-server without --disable-workspace-trust). */
  trust: boolean;
  grep?: string;
  timeoutMs?: number;
  label: string;
}

export function scratchWorkspace(label: string): { home: string; workspace: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `losslab-e2e-${label}-`));
  const workspace = path.join(home, 'workspace');
  fs.cpSync(path.join(REPO, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  return { home, workspace };
}

export async function runIntegration(o: IntegrationOptions): Promise<SuiteReport> {
  const testsModule = path.join(REPO, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(testsModule)) throw new Error(`${testsModule} is missing: run node scripts/e2e/build.mjs`);
  const { home, workspace } = scratchWorkspace(o.label);
  const reportFile = path.join(home, 'report.json');
  const server = await startCodeServer({
    workspace,
    home,
    trust: o.trust,
    env: { LOSSLAB_E2E_REPORT: reportFile, ...(o.grep ? { LOSSLAB_E2E_GREP: o.grep } : {}) },
  });
  let browser: Browser | undefined;
  let ok = false;
  try {
    browser = await launchBrowser();
    const page = await newWorkbenchPage(browser);
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const workbenchLog = path.join(home, 'workbench.log');
    await page.exposeFunction('codeAutomationLog', (level: string, args: unknown[]) => {
      fs.appendFileSync(workbenchLog, `${level} ${args.map(String).join(' ')}\n`);
    });
    const progress = followProgress(`${reportFile}.progress`);
    const remote = (p: string) => `vscode-remote://${server.authority}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(process.env.LOSSLAB_E2E_EXTENSION ?? REPO)],
      ['extensionTestsPath', remote(testsModule)],
    ];
    const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeoutMs = o.timeoutMs ?? 300_000;
    const code = await withTimeout(exitCode, timeoutMs, `the ${o.label} suite did not finish within ${timeoutMs / 1000} s`).finally(progress.stop);
    if (!fs.existsSync(reportFile)) throw new Error(`the ${o.label} suite exited with ${code} and wrote no report; code-server log: ${server.log}`);
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as SuiteReport;
    if (code !== 0 && report.failed === 0) throw new Error(`the ${o.label} suite exited with ${code}; code-server log: ${server.log}`);
    ok = report.failed === 0;
    return report;
  } finally {
    await browser?.close();
    await server.stop();
    if (!ok || process.env.LOSSLAB_E2E_KEEP) console.log(`  kept ${home} (code-server log, workbench.log, report.json)`);
    else fs.rmSync(home, { recursive: true, force: true });
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Prints each test's line from the suite's progress file as it is appended. */
function followProgress(file: string): { stop: () => void } {
  let offset = 0;
  const print = () => {
    if (!fs.existsSync(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    for (const line of text.slice(offset).split('\n').filter(Boolean)) {
      const t = JSON.parse(line) as SuiteReport['tests'][number];
      console.log(`  ${t.state === 'passed' ? '✔' : t.state === 'failed' ? '✖' : '-'} ${t.title}${t.ms !== undefined ? ` (${t.ms} ms)` : ''}`);
    }
    offset = text.length;
  };
  const timer = setInterval(print, 500);
  return {
    stop: () => {
      clearInterval(timer);
      print();
    },
  };
}
