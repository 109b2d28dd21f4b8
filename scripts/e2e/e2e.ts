/**
 * `npm run test:e2e` (scripts/e2e/run.sh): setup (when needed), build, package the .vsix, then the in-host
 * integration suite in code-server (a trusted workspace, then a Restricted Mode one) and
 * the UI steps in headless Chromium against the installed .vsix.
 *
 *   tsx scripts/e2e/e2e.ts [--skip-setup] [--skip-build] [--only integration|ui|cli] [--vsix FILE]
 *
 * --only ui also runs the CLI unpacked from the same .vsix (scripts/e2e/vsixCli.ts).
 *
 * --skip-build reuses dist/, out/ and the .vsix already there.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SuiteReport } from '../../test/integration/index';
import { REPO, runIntegration } from './runIntegration';
import { runUi } from './runUi';
import { runVsixCli } from './vsixCli';
import { judgeSkips } from '../skips.mjs';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = option('--only');
const UNTRUSTED_SUITE = 'an untrusted workspace';

function sh(what: string, cmd: string, cmdArgs: string[]): void {
  const t0 = Date.now();
  const r = spawnSync(cmd, cmdArgs, { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal})`);
  console.log(`e2e: ${what} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function vsixPath(): string {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(REPO, `${name}-${version}.vsix`);
}

async function layer(name: string, run: () => Promise<SuiteReport>, reports: [string, SuiteReport][]): Promise<void> {
  const t0 = Date.now();
  console.log(`e2e: ${name}`);
  try {
    reports.push([name, await run()]);
  } catch (e) {
    reports.push([name, { passed: 0, failed: 1, skipped: 0, tests: [{ title: `${name}: the layer itself`, state: 'failed', error: (e as Error).stack }] }]);
  }
  console.log(`e2e: ${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function main(): Promise<number> {
  const t0 = Date.now();
  if (!flag('--skip-setup')) sh('setup', 'bash', ['scripts/e2e/setup.sh']);
  let vsix = option('--vsix');
  if (!flag('--skip-build')) {
    // `npm run package` builds dist/ for production, so the integration suite also tests what ships.
    if (!vsix && only !== 'integration') {
      sh('build and package', 'npm', ['run', '--silent', 'package']);
      vsix = vsixPath();
    } else sh('build', 'node', ['esbuild.mjs']);
    sh('build of the integration suite', 'node', ['scripts/e2e/build.mjs']);
  }
  if (!vsix && only !== 'integration') vsix = vsixPath();
  if (vsix) console.log(`e2e: ${path.basename(vsix)} is ${(fs.statSync(vsix).size / 1024 / 1024).toFixed(2)} MiB`);

  const reports: [string, SuiteReport][] = [];
  if (only === undefined || only === 'integration') {
    await layer('integration (trusted workspace)', () => runIntegration({ trust: true, label: 'trusted', grep: `!${UNTRUSTED_SUITE}` }), reports);
    await layer('integration (Restricted Mode)', () => runIntegration({ trust: false, label: 'untrusted', grep: UNTRUSTED_SUITE }), reports);
  }
  if (only === undefined || only === 'ui') await layer('UI (code-server + Chromium, installed .vsix)', () => runUi(vsix!), reports);
  if (only !== 'integration') await layer('CLI unpacked from the .vsix, no node_modules', () => runVsixCli(vsix!), reports);

  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const [name, r] of reports) {
    for (const t of r.tests.filter((t) => t.state === 'failed')) console.log(`\n✖ ${name} › ${t.title}\n${t.error ?? ''}`);
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
  }
  console.log(`\ne2e: took ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in test-artifacts/`);
  console.log(`e2e: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  // Mocha's pending tests carry no reason: each is one the mode it ran in should not have loaded.
  const skipped = reports.flatMap(([name, r]) => r.tests.filter((t) => t.state === 'skipped').map((t) => ({ name: `${name} › ${t.title}`, reason: 'skipped (pending)' })));
  const skipStatus = judgeSkips(skipped, 'e2e');
  return total.failed > 0 || total.passed === 0 ? 1 : skipStatus;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
