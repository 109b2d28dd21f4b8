// Report figures find a headless browser on every desktop system: Chrome, Chromium or
// Edge where macOS and Windows install them, not only Debian's /usr/bin/chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumPath } from '../../../src/host/headlessChromium';

const only = (file: string) => (f: string) => f === file;

test('macOS: Chrome, Chromium or Edge in /Applications or ~/Applications', () => {
  const env = { HOME: '/Users/ada' };
  assert.equal(chromiumPath(env, 'darwin', only('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')), '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
  assert.equal(chromiumPath(env, 'darwin', only('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge')), '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
  assert.equal(chromiumPath(env, 'darwin', only('/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium')), '/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium');
});

test('Windows: Chrome or Edge under Program Files, or Chrome per user under LocalAppData', () => {
  const env = { PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' };
  assert.equal(chromiumPath(env, 'win32', only('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe')), 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
  assert.equal(chromiumPath(env, 'win32', only('C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe')), 'C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
});

test('CHROMIUM_PATH wins; nothing installed is undefined', () => {
  assert.equal(
    chromiumPath({ CHROMIUM_PATH: '/opt/c/chrome' }, 'darwin', () => false),
    '/opt/c/chrome',
  );
  assert.equal(
    chromiumPath({}, 'win32', () => false),
    undefined,
  );
  assert.equal(chromiumPath({}, 'linux', only('/usr/bin/chromium')), '/usr/bin/chromium');
});
