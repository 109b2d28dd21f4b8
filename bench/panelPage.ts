/**
 * The results panel's page in headless Chromium, as VS Code shows it: the real page (resultsHtml),
 * the real bundle (dist/webview.js) and the host's real messages, with acquireVsCodeApi stubbed so
 * what the page posts reaches `answer` here and the answer goes back as a message. For the panel
 * benchmark and its system test. `window.__canned` (a JSON string of runs' step points), when set,
 * answers step requests inside the page: what the panel does with an answer, without the bridge.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { resultsHtml } from '../src/extension/results/resultsHtml';
import { CHROMIUM_ARGS, chromiumPath } from '../src/host/headlessChromium';
import type { FromWebview, ToWebview } from '../src/protocol/webview';

export interface PanelPage {
  page: Page;
  /** Every message the page posted, in order. */
  posted: FromWebview[];
  close(): Promise<void>;
}

/** `root`: the checkout whose dist/webview.js and media/results.css are loaded (this one by default). */
export async function openPanelPage(answer: (msg: FromWebview) => ToWebview | undefined, root = process.cwd()): Promise<PanelPage> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('No Chromium found: set CHROMIUM_PATH.');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-panel-'));
  const html = resultsHtml({
    cspSource: 'file:',
    nonce: 'bench',
    scriptUri: pathToFileURL(path.join(root, 'dist', 'webview.js')).href,
    styleUri: pathToFileURL(path.join(root, 'media', 'results.css')).href,
  });
  fs.writeFileSync(path.join(dir, 'index.html'), html);
  const browser: Browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const posted: FromWebview[] = [];
  await page.exposeFunction('__losslabHost', (msg: FromWebview) => {
    posted.push(msg);
    return answer(msg) ?? null;
  });
  // A string, not a function: tsx would wrap its arrow functions in a naming helper the page lacks.
  await page.addInitScript(`
    window.__answers = 0;
    window.__asks = 0;
    window.__canned = undefined;
    const deliver = (reply) => {
      if (!reply) return;
      window.dispatchEvent(new MessageEvent('message', { data: reply }));
      window.__answers += 1;
    };
    window.acquireVsCodeApi = () => ({
      postMessage: (msg) => {
        window.__asks += msg.type === 'steps' ? 1 : 0;
        // A canned step answer is parsed here, as VS Code copies a host message, without crossing to Node and back.
        if (msg.type === 'steps' && window.__canned !== undefined) return void setTimeout(() => deliver({ type: 'steps', requestId: msg.requestId, runs: JSON.parse(window.__canned) }), 0);
        void window.__losslabHost(msg).then(deliver);
      },
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });
  `);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
  await page.waitForFunction(() => document.readyState === 'complete');
  if (errors.length) throw new Error(`the panel's script failed: ${errors[0]}`);
  return {
    page,
    posted,
    close: async () => {
      await browser.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Milliseconds from running `act` in the page until the frame after it is drawn. */
export async function timeInPage(page: Page, act: string, arg?: unknown): Promise<number> {
  // A string, not a function: tsx would wrap a function's inner named functions in a helper the page lacks.
  return page.evaluate(`(async (arg) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    await frame();
    const t0 = performance.now();
    await (async () => { ${act} })();
    await frame();
    return performance.now() - t0;
  })(${JSON.stringify(arg ?? null)})`);
}

/** The number of points each curve chart draws (its canvas' data-points). */
export async function drawnPoints(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLCanvasElement>('canvas[id^="chart-t"]')].map((c) => [c.id, Number(c.dataset.points)])));
}
