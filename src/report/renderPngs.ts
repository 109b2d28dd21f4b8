/**
 * Saves the report's figures as PNG files: the report page is opened in headless Chromium
 * (Debian's /usr/bin/chromium through playwright-core; no browser download) and each
 * element marked `data-png` is screenshotted once its charts have data. The figures are
 * drawn by the page's own script, the results panel's chart code: no second plotting stack.
 * playwright-core is loaded only here, and only when called, so that a build without it
 * (the packaged extension) still writes the HTML report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { REPORT_ERROR_ATTRIBUTE, REPORT_FIGURE_POINTS_ATTRIBUTE, REPORT_PNG_ATTRIBUTE, REPORT_STATE_ATTRIBUTE } from '../protocol/report';
import { CHROMIUM_ARGS, chromiumPath } from '../host/headlessChromium';
import { pngSize, SAFE_PNG_NAME, type RenderedFigure } from './figurePng';

/** PNGs cannot be made here (no Chromium, or no playwright-core): the HTML report is still complete. */
export class PngUnavailableError extends Error {
  override name = 'PngUnavailableError';
}

const INSTALL_HINT = 'PNG figures need Chromium and the playwright-core package: install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary';

export { chromiumPath, pngSize, type RenderedFigure };

export interface RenderPngsResult {
  figures: RenderedFigure[];
  /** Figures not saved because nothing was drawn on them. */
  skipped: { file: string; reason: string }[];
  /** Network requests the page tried (and was refused); a self-contained report makes none. */
  blockedRequests: string[];
}

export interface RenderPngsOptions {
  chromium?: string;
  /** Pixels per CSS pixel of the PNGs; 2 by default (sharp on high-density screens and in print). */
  scale?: number;
  timeoutMs?: number;
}

async function loadPlaywright(): Promise<typeof import('playwright-core')> {
  try {
    return await import('playwright-core');
  } catch (e) {
    throw new PngUnavailableError(`the playwright-core package cannot be loaded (${(e as Error).message.split('\n')[0]}). ${INSTALL_HINT}`);
  }
}

interface PageFigure {
  file: string;
  kind: string;
  points: number;
}

/** Evaluated in the page as a string (no transpiler helpers cross over). */
const LIST_FIGURES = `[...document.querySelectorAll('[${REPORT_PNG_ATTRIBUTE}]')].map((el) => ({
  file: el.getAttribute('${REPORT_PNG_ATTRIBUTE}'),
  kind: el.getAttribute('data-kind') || '',
  points: Number(el.getAttribute('${REPORT_FIGURE_POINTS_ATTRIBUTE}') || 0),
}))`;

export async function renderPngs(htmlPath: string, outDir: string, options: RenderPngsOptions = {}): Promise<RenderPngsResult> {
  const executablePath = options.chromium ?? chromiumPath();
  if (!executablePath || !fs.existsSync(executablePath)) {
    throw new PngUnavailableError(`no Chromium found${executablePath ? ` at ${executablePath}` : ''}. ${INSTALL_HINT}`);
  }
  const { chromium } = await loadPlaywright();
  const timeout = options.timeoutMs ?? 60_000;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout });
  } catch (e) {
    throw new PngUnavailableError(`Chromium (${executablePath}) did not start: ${(e as Error).message.split('\n')[0]}. ${INSTALL_HINT}`);
  }
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: options.scale ?? 2, colorScheme: 'light' });
    const blockedRequests: string[] = [];
    await context.route(/^(https?|wss?|ftp):/i, (route) => {
      blockedRequests.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(pathToFileURL(path.resolve(htmlPath)).href, { waitUntil: 'load', timeout });
    await page.waitForSelector(`body[${REPORT_STATE_ATTRIBUTE}]`, { state: 'attached', timeout });
    const state = await page.getAttribute('body', REPORT_STATE_ATTRIBUTE);
    if (state !== 'ready') {
      const reason = (await page.getAttribute('body', REPORT_ERROR_ATTRIBUTE)) ?? pageErrors.join('; ');
      throw new Error(`the report page failed to draw its charts: ${reason || 'unknown error'}`);
    }
    const listed = await page.evaluate<PageFigure[]>(LIST_FIGURES);
    fs.mkdirSync(outDir, { recursive: true });
    const figures: RenderedFigure[] = [];
    const skipped: RenderPngsResult['skipped'] = [];
    for (const fig of listed) {
      if (!SAFE_PNG_NAME.test(fig.file)) {
        skipped.push({ file: fig.file, reason: 'not a plain PNG file name' });
        continue;
      }
      if (fig.points <= 0) {
        skipped.push({ file: fig.file, reason: 'nothing was drawn on it' });
        continue;
      }
      const file = path.join(outDir, fig.file);
      const bytes = await page.locator(`[${REPORT_PNG_ATTRIBUTE}="${fig.file}"]`).screenshot({ path: file, animations: 'disabled', caret: 'hide', scale: 'device', timeout });
      const size = pngSize(bytes) ?? { width: 0, height: 0 };
      figures.push({ file: fig.file, path: file, kind: fig.kind, points: fig.points, ...size });
    }
    if (pageErrors.length) throw new Error(`the report page had errors: ${pageErrors.join('; ')}`);
    return { figures, skipped, blockedRequests };
  } finally {
    await browser.close();
  }
}
