import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where Debian's (or the user's) Chromium is, and the flags that keep it headless and
 * offline: shared by the report's PNG rendering and the VS Code UI tests.
 */
const LINUX = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium', '/usr/bin/microsoft-edge'];

const MAC_APPS = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'];

/** Where Chrome, Chromium or Edge installs itself on `platform`: system-wide first, then the user's own. */
function browserCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string[] {
  if (platform === 'darwin') return [...MAC_APPS.map((app) => path.posix.join('/Applications', app)), ...MAC_APPS.map((app) => path.posix.join(home, 'Applications', app))];
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    const apps = ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];
    return roots.flatMap((root) => apps.map((app) => path.win32.join(root, app)));
  }
  return LINUX;
}

/** CHROMIUM_PATH (or LOSSLAB_CHROMIUM, which the e2e tests use), else the first Chrome, Chromium or Edge found on this system. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, exists: (file: string) => boolean = fs.existsSync): string | undefined {
  const configured = env.CHROMIUM_PATH || env.LOSSLAB_CHROMIUM;
  if (configured) return configured;
  return browserCandidates(platform, env, env.HOME ?? os.homedir()).find((f) => exists(f));
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps calling home, which a closed network refuses many times a second.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-crash-reporter', // its handler would leave Playwright's process group
];
