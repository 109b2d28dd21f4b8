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
  // The command may open its own quick pick at once: the palette is gone when the box no longer holds ">".
  await waitFor(
    'the command palette closed',
    async () => !(await quickInput(page).isVisible()) || !(await quickInputBox(page).inputValue({ timeout: 1000 })).startsWith('>') || undefined,
    10_000,
    100,
  );
}

/**
 * Ctrl+P, the file name, its row; resolves when its editor tab is active. Retried: Quick Open
 * lists a file written a moment ago only once its file search has seen it.
 */
export async function openFile(page: Page, fileName: string, timeoutMs = 60_000): Promise<void> {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: fileName });
  await waitFor(
    `"${fileName}" in Quick Open`,
    async () => {
      if (await quickInput(page).isVisible()) await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      await quickInputBox(page).waitFor({ state: 'visible', timeout: 10_000 });
      await quickInputBox(page).fill(fileName);
      try {
        await row.first().waitFor({ state: 'visible', timeout: 5000 });
        return true;
      } catch {
        await page.keyboard.press('Escape');
        return undefined;
      }
    },
    timeoutMs,
    1000,
  );
  // The row itself: Enter takes the first row, which may be another file of a similar name.
  await row.first().click();
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

/** Types into the open input box (a showInputBox prompt) and accepts it. */
export async function answerInput(page: Page, value: string): Promise<void> {
  await quickInputBox(page).waitFor({ state: 'visible', timeout: 30_000 });
  await quickInputBox(page).fill(value);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Picks the row of an open quick pick that shows `label`, typing it to filter first. */
export async function pickItem(page: Page, label: string): Promise<void> {
  await quickInputBox(page).waitFor({ state: 'visible', timeout: 30_000 });
  await quickInputBox(page).fill(label);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: label });
  await row.first().waitFor({ state: 'visible', timeout: 10_000 });
  await row.first().click();
}

/** The toast whose text matches, once shown, and its message (without source and buttons). */
export async function waitForNotification(page: Page, text: RegExp, timeoutMs: number): Promise<{ toast: Locator; text: string }> {
  const toast = page.locator('.notification-toast').filter({ hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return { toast, text: ((await toast.locator('.notification-list-item-message').textContent()) ?? '').replace(/\u00a0/g, ' ') };
}

/** The text the Output panel shows (its visible lines; wrapping and runs of spaces made single spaces), polled until it matches. */
export async function waitForOutput(page: Page, text: RegExp, timeoutMs: number): Promise<string> {
  return waitFor(
    `${text} in the Output panel`,
    async () => {
      const shown = (await page.locator('.part.panel .view-lines').first().innerText({ timeout: 1000 })).replace(/[\s\u00a0]+/g, ' ');
      return text.test(shown) ? shown : undefined;
    },
    timeoutMs,
    500,
  );
}

/** The webview whose page has `selector`: several panels and reports may be open at once. */
export async function findWebview(page: Page, selector: string, timeoutMs: number): Promise<FrameLocator> {
  return waitFor(
    `a webview with ${selector}`,
    async () => {
      const frames = page.locator('iframe.webview.ready');
      for (let i = (await frames.count()) - 1; i >= 0; i--) {
        const frame = page.frameLocator(`iframe.webview.ready >> nth=${i}`).frameLocator('#active-frame');
        if ((await frame.locator(selector).count()) > 0) return frame;
      }
      return undefined;
    },
    timeoutMs,
    500,
  );
}

/** Closes every editor and webview panel: the next panel opened is the only one. */
export async function closeAllEditors(page: Page): Promise<void> {
  await runFromPalette(page, 'View: Close All Editors');
  await waitFor('no editor open', async () => ((await page.locator('.tabs-container .tab').count()) === 0 ? true : undefined), 15_000);
}
