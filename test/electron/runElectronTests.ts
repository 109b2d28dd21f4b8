/**
 * `npm run test:electron`: the same in-host suite as the code-server e2e run, in desktop
 * VS Code downloaded by @vscode/test-electron (needs internet and a display or xvfb-run).
 * A trusted workspace first, then the same folder in Restricted Mode for the trust tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..');
const UNTRUSTED_SUITE = 'an untrusted workspace';

function scratch(label: string, settings: Record<string, unknown>) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `losslab-electron-${label}-`));
  const workspace = path.join(home, 'workspace');
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const userData = path.join(home, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', ...settings }));
  return { home, workspace, userData };
}

async function suite(label: string, trusted: boolean): Promise<void> {
  const s = scratch(label, trusted ? {} : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' });
  try {
    await runTests({
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [s.workspace, '--user-data-dir', s.userData, '--disable-extensions', ...(trusted ? ['--disable-workspace-trust'] : [])],
      extensionTestsEnv: { LOSSLAB_E2E_GREP: trusted ? `!${UNTRUSTED_SUITE}` : UNTRUSTED_SUITE },
    });
  } finally {
    fs.rmSync(s.home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await suite('trusted', true);
  await suite('untrusted', false);
}

main().catch((e) => {
  console.error(`test:electron failed: ${e instanceof Error ? e.message : String(e)}`);
  console.error('It downloads VS Code (internet needed) and needs a display (xvfb-run on Linux); offline, npm run test:e2e runs the same suite in code-server.');
  process.exit(1);
});
