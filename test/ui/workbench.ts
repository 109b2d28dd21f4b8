/**
 * What a person does in the workbench, as Playwright steps: the command palette, Quick
 * Open, the simple file dialog, and the inside of a webview panel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

const quickInput = (page: Page) => page.locator('.quick-input-widget');
const quickInputBox = (page: Page) => page.locator('.quick-input-widget .quick-input-box input');

/** Polls `check` until it returns a value (not undefined), at most `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * F1, the command's title, Enter. Retried until the command is listed: right after the
 * workbench shows, the extension host may still be activating the extension.
 */
export async function runFromPalette(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: title });
  await waitFor(
    `"${title}" in the command palette`,
    async () => {
      if (!(await quickInput(page).isVisible())) await page.keyboard.press('F1');
      await quickInputBox(page).waitFor({ state: 'visible', timeout: 5000 });
      await quickInputBox(page).fill(`>${title}`);
      try {
        await row.first().waitFor({ state: 'visible', timeout: 3000 });
        return true;
      } catch {
        await page.keyboard.press('Escape');
        return undefined;
      }
    },
    timeoutMs,
    500,
  );
  const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  if (!(await first.innerText()).includes(title)) await row.first().click();
  else await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Ctrl+P, the file name, Enter; resolves when its editor tab is active. */
export async function openFile(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await quickInputBox(page).waitFor({ state: 'visible', timeout: 10_000 });
  await quickInputBox(page).fill(fileName);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: fileName });
  await row.first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label^="${fileName}"]`).waitFor({ state: 'visible', timeout: 15_000 });
}

/** The page inside a webview: the workbench's iframe, then the frame VS Code loads the page into. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/**
 * Accepts the simple file dialog that showSaveDialog opens in a browser workbench, keeping
 * the suggested path; returns that path.
 */
export async function acceptSaveDialog(page: Page): Promise<string> {
  await quickInputBox(page).waitFor({ state: 'visible', timeout: 15_000 });
  // The dialog fills in the folder first and the suggested file name a moment later.
  const suggested = await waitFor(
    'a file name in the save dialog',
    async () => {
      const value = await quickInputBox(page).inputValue();
      return /\/[^/]+\.\w+$/.test(value) ? value : undefined;
    },
    10_000,
    100,
  );
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
  return suggested;
}

export async function screenshot(target: Page | Locator, dir: string, name: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await target.screenshot({ path: file });
  return file;
}
