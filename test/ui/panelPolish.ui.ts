/**
 * A Compare Experiments panel as a person opens it from the palette: Figs. 2–3 drawn at once,
 * a legend entry clicked hides its runs and is struck through, and the run table keeps its last
 * column in view at 820 and 1440 px wide, in a light and a dark theme.
 */
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import type { UiStep } from './runExperiment.ui';
import { closeAllEditors, findWebview, pickItem, runFromPalette, screenshot, waitFor } from './workbench';

/** Two finished experiments of the earlier steps: the quick one and the custom loss's. */
const COMPARED = ['e2e-quick', 'myfocal'];
const PANEL = `#experiment-name:text-is("${COMPARED.join(' + ')}")`;

const comparePanel = (page: Page) => findWebview(page, PANEL, 60_000);

/** What Figs. 2–3 show, to say why where they show nothing. */
async function diagnosticsState(frame: FrameLocator): Promise<string> {
  const points = async (id: string) => frame.locator(`#${id}`).getAttribute('data-points');
  const options = await frame.locator('#diag-run-a option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  return `logits ${await points('chart-logits')}, norms ${await points('chart-weight-norms')}, run A "${await frame.locator('#diag-run-a').inputValue()}" of [${options.join(', ')}], run B "${await frame.locator('#diag-run-b').inputValue()}"`;
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface Probe {
  box: Box;
  /** The longest unbroken run of drawn pixels in the entry's text, right of its box: a strike-through spans the whole label. */
  ink: number;
  /** CSS pixels per canvas pixel. */
  scale: number;
}

/**
 * Runs in the page (serialized, so no helpers from outside and no nested named functions): the legend
 * box drawn in `rgb` (the topmost such pixels: the legend is above the plot), or the one given, and
 * the ink right of it.
 */
const probeLegend = (canvas: HTMLCanvasElement, args: { rgb: number[]; box?: Box }): Probe | undefined => {
  const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let box = args.box;
  if (!box) {
    let top = -1;
    let bottom = -1;
    let left = width;
    let right = -1;
    for (let y = 0; y < height / 3; y++) {
      let hits = 0;
      let rowLeft = width;
      let rowRight = -1;
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (data[i + 3] === 255 && Math.abs(data[i] - args.rgb[0]) + Math.abs(data[i + 1] - args.rgb[1]) + Math.abs(data[i + 2] - args.rgb[2]) < 12) {
          hits++;
          rowLeft = Math.min(rowLeft, x);
          rowRight = Math.max(rowRight, x);
        }
      }
      if (hits >= 10) {
        if (top < 0) top = y;
        bottom = y;
        left = Math.min(left, rowLeft);
        right = Math.max(right, rowRight);
      } else if (top >= 0) break;
    }
    if (top < 0) return undefined;
    box = { left, right, top, bottom };
  }
  let ink = 0;
  for (let y = box.top; y <= box.bottom; y++) {
    let run = 0;
    for (let x = box.right + 3; x < Math.min(width, box.right + 600); x++) {
      run = data[(y * width + x) * 4 + 3] > 160 ? run + 1 : 0;
      ink = Math.max(ink, run);
    }
  }
  return { box, ink, scale: canvas.clientWidth / canvas.width };
};

export const panelPolishSteps: UiStep[] = [
  {
    name: 'should draw Figs. 2–3 at once in a "Loss Lab: Compare Experiments…" panel of two experiments',
    async run({ page, artifacts }) {
      await closeAllEditors(page);
      // As a person gets there: one experiment's panel open, a run of it picked for the figures.
      await runFromPalette(page, 'Loss Lab: Open Results');
      await pickItem(page, COMPARED[0]);
      const single = await findWebview(page, `#experiment-name:text-is("${COMPARED[0]}")`, 60_000);
      await single.locator('#run-table tbody tr').last().click();
      await runFromPalette(page, 'Loss Lab: Compare Experiments…');
      for (const name of COMPARED) {
        const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: name }).first();
        await row.waitFor({ state: 'visible', timeout: 15_000 });
        if ((await row.getAttribute('aria-checked')) !== 'true') await row.locator('.quick-input-list-checkbox, input[type="checkbox"], .monaco-checkbox').first().click();
      }
      await page.keyboard.press('Enter');
      const frame = await comparePanel(page);
      await waitFor(
        'data in both figures',
        async () => {
          const counts = await Promise.all(['chart-logits', 'chart-weight-norms'].map(async (id) => Number(await frame.locator(`#${id}`).getAttribute('data-points'))));
          return counts.every((n) => n > 0) ? counts : undefined;
        },
        30_000,
      ).catch(async (e: Error) => {
        await screenshot(page, artifacts, 'ui-p1-compare-figures-empty');
        throw new Error(`${e.message}: ${await diagnosticsState(frame)}`);
      });
      // Painted, not only counted: series colours in both canvases (axes and text are grey).
      await frame.locator('#chart-logits').scrollIntoViewIfNeeded();
      for (const id of ['chart-logits', 'chart-weight-norms']) {
        const coloured = await frame.locator(`#${id}`).evaluate((canvas: HTMLCanvasElement) => {
          if (canvas.width === 0 || canvas.height === 0) return 0;
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
          let n = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) n++;
          return n;
        });
        assert.ok(coloured > 50, `#${id}: only ${coloured} coloured pixels (${await diagnosticsState(frame)})`);
      }
      // The default pair: runs of the compared experiments, named as the pickers name them.
      assert.match(await frame.locator('#diag-run-a').inputValue(), new RegExp(`^(${COMPARED.join('|')})/`));
      await screenshot(page, artifacts, 'ui-p1-compare-figures');
    },
  },
  {
    name: 'should hide a loss setting’s runs by clicking its legend entry, and draw the entry struck through',
    async run({ page, artifacts }) {
      const frame = await comparePanel(page);
      // The setting with the longest label: its strike-through is the longest line the legend can hold.
      const runs = await frame.locator('#run-list li').evaluateAll((lis) =>
        lis.map((li) => ({
          runId: (li as HTMLElement).dataset.runId!,
          label: li.textContent ?? '',
          colour: getComputedStyle(li.querySelector('.swatch')!).backgroundColor,
          ticked: (li.querySelector('input[type="checkbox"]') as HTMLInputElement).checked,
        })),
      );
      assert.ok(
        runs.every((r) => r.ticked),
        'every run drawn before the click',
      );
      const target = [...runs].sort((a, b) => b.label.length - a.label.length)[0];
      const rgb = (/rgb\((\d+), (\d+), (\d+)\)/.exec(target.colour) ?? []).slice(1).map(Number);
      assert.equal(rgb.length, 3, target.colour);
      const chart = frame.locator('#chart-test-acc');
      const before = await chart.evaluate(probeLegend, { rgb });
      assert.ok(before, `a legend entry in ${target.colour} above the test-accuracy chart`);
      await chart.click({ position: { x: ((before.box.left + before.box.right) / 2) * before.scale, y: ((before.box.top + before.box.bottom) / 2) * before.scale } });
      const sameColour = runs.filter((r) => r.colour === target.colour).map((r) => r.runId);
      const unticked = await waitFor(
        'the clicked setting’s runs unticked in the run list',
        async () => {
          const now = await frame
            .locator('#run-list li')
            .evaluateAll((lis) => lis.filter((li) => !(li.querySelector('input[type="checkbox"]') as HTMLInputElement).checked).map((li) => (li as HTMLElement).dataset.runId!));
          return now.length > 0 ? now : undefined;
        },
        10_000,
      );
      assert.deepEqual([...unticked].sort(), [...sameColour].sort(), 'exactly the runs of the clicked setting are hidden');
      const after = (await chart.evaluate(probeLegend, { rgb, box: before.box }))!.ink;
      // Letters leave gaps; a strike-through is one unbroken line across the label.
      assert.ok(after >= 1.8 * Math.max(before.ink, 10), `the entry is struck through: longest line ${before.ink} px before the click, ${after} px after`);
      await screenshot(page, artifacts, 'ui-p2-legend-hidden');
      // Shown again: the next steps see every run.
      await chart.click({ position: { x: ((before.box.left + before.box.right) / 2) * before.scale, y: ((before.box.top + before.box.bottom) / 2) * before.scale } });
    },
  },
  {
    name: 'should keep the run table’s last column inside its box at 820 and 1440 px wide, light and dark',
    async run({ page, artifacts }) {
      const original = page.viewportSize();
      let toggled = false;
      const themeOf = async (frame: FrameLocator) => ((await frame.locator('body').getAttribute('class')) ?? '').match(/vscode-(light|dark|high-contrast)/)?.[1];
      try {
        for (const theme of ['first', 'toggled']) {
          if (theme === 'toggled') {
            await runFromPalette(page, 'Preferences: Toggle between Light/Dark Themes');
            toggled = true;
          }
          for (const width of [820, 1440]) {
            await page.setViewportSize({ width, height: 900 });
            const frame = await comparePanel(page);
            await frame.locator('#run-table').scrollIntoViewIfNeeded();
            const fit = await waitFor(
              `the run table laid out at ${width} px`,
              async () => {
                const m = await frame.locator('#run-table').evaluate((table) => {
                  const wrap = table.parentElement!;
                  const last = table.querySelector('thead th:last-child')!.getBoundingClientRect();
                  const box = wrap.getBoundingClientRect();
                  return { scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, lastRight: last.right, boxRight: box.right, pageWidth: document.documentElement.clientWidth };
                });
                return m.clientWidth > 0 ? m : undefined;
              },
              10_000,
            );
            const where = `${width} px, ${await themeOf(frame)} theme: ${JSON.stringify(fit)}`;
            assert.ok(fit.scrollWidth <= fit.clientWidth + 1, `the table needs no sideways scrolling (${where})`);
            assert.ok(fit.lastRight <= fit.boxRight + 1, `the last header ends inside the table's box (${where})`);
            assert.ok(fit.boxRight <= fit.pageWidth + 1, `the table's box ends inside the panel (${where})`);
            await screenshot(page, artifacts, `ui-p3-run-table-${width}-${theme}`);
          }
        }
      } finally {
        if (toggled) await runFromPalette(page, 'Preferences: Toggle between Light/Dark Themes').catch(() => undefined);
        if (original) await page.setViewportSize(original);
      }
    },
  },
];
