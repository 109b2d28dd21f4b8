import * as fs from 'node:fs';

/**
 * Where Debian's (or the user's) Chromium is, and the flags that keep it headless and
 * offline: shared by the report's PNG rendering and the VS Code UI tests.
 */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** CHROMIUM_PATH (or LOSSLAB_CHROMIUM, which the e2e tests use), else the first system Chromium found. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.CHROMIUM_PATH || env.LOSSLAB_CHROMIUM;
  if (configured) return configured;
  return CANDIDATES.find((f) => fs.existsSync(f));
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
