/**
 * "Save as PNG" and "Save as SVG" on each curve chart and sweep chart. The webview cannot write files: it
 * posts the image to the host, which asks where to save it and answers with a notice.
 * PNG: the chart drawn again at 3× its on-screen size (print quality for a paper: 1,500 px where
 * the panel shows 500), on the panel's background (a transparent PNG of light text on a dark theme
 * is unreadable elsewhere). SVG: written from the chart's scales and datasets (chartSvg).
 */
import type { Chart } from 'chart.js';
import type { ChartImageFormat, FromWebview } from '../src/protocol/webview';
import { chartSvg, type SvgChart } from './chartSvg';
import { CURVE_CHARTS } from './curveMetrics';
import type { CurveCharts } from './curves';
import type { MetricKey } from './series';
import type { SweepCharts } from './sweepCharts';
import type { Theme } from './theme';

/** The panel's background colour, for the PNG and the SVG alike (white where the page has none). */
function background(): string {
  const css = getComputedStyle(document.body);
  const colour = css.getPropertyValue('--vscode-editor-background').trim() || css.backgroundColor;
  return !colour || colour === 'transparent' || /^rgba\(.*,\s*0\)$/.test(colour) ? '#ffffff' : colour;
}

/** How long "Chart saved to …" stays. */
const NOTICE_MS = 8000;

/** Pixels per CSS pixel of an exported PNG (at least the screen's own). */
const PNG_SCALE = 3;

/** The chart's canvas as a PNG data URL, at the canvas' current pixel size. */
function canvasPng(canvas: HTMLCanvasElement, fill: string): string {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = fill;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  return out.toDataURL('image/png');
}

/** Draws the chart once more at PNG_SCALE pixels per CSS pixel, takes the PNG, and puts the screen's resolution back. */
function chartPng(chart: Chart, fill: string): string {
  const screen = chart.options.devicePixelRatio;
  chart.options.devicePixelRatio = Math.max(PNG_SCALE, window.devicePixelRatio || 1);
  chart.resize();
  try {
    return canvasPng(chart.canvas, fill);
  } finally {
    chart.options.devicePixelRatio = screen;
    chart.resize();
  }
}

export class ChartSaver {
  /** The table's requests count from 1; the charts' from here, so `notice` answers reach the right place. */
  private nextRequest = 1_000_000;
  private readonly pending = new Set<number>();
  private fade: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly curves: CurveCharts,
    private readonly theme: () => Theme,
    private readonly post: (msg: FromWebview) => void,
    private readonly notice: HTMLElement | null,
  ) {}

  save(metric: MetricKey, format: ChartImageFormat): void {
    this.saveChart(this.curves.chart(metric), CURVE_CHARTS[metric].file, format, () => this.curves.describe(metric));
  }

  /** A sweep chart (`key`: its swept field, `loss:m`), saved as `sweep-m`. */
  saveSweep(sweeps: SweepCharts, key: string, format: ChartImageFormat): void {
    const chart = sweeps.chart(key);
    const described = sweeps.describe(key);
    if (chart && described)
      this.saveChart(
        chart,
        `sweep-${key
          .split(':')
          .pop()!
          .replace(/[^A-Za-z0-9_-]/g, '-')}`,
        format,
        () => described,
      );
  }

  private saveChart(chart: Chart, file: string, format: ChartImageFormat, describe: () => Omit<SvgChart, 'colours' | 'font'>): void {
    const theme = this.theme();
    const data =
      format === 'png'
        ? chartPng(chart, background())
        : chartSvg({
            ...describe(),
            colours: { background: background(), foreground: theme.foreground, muted: theme.muted, grid: theme.grid },
            font: theme.fontFamily,
          });
    const requestId = this.nextRequest++;
    this.pending.add(requestId);
    if (this.notice) this.notice.textContent = '';
    this.post({ type: 'saveChart', requestId, format, chart: file, data });
  }

  /** Shows the host's answer if it is about a chart; false for anyone else's. A success fades after a while, an error stays. */
  handleNotice(requestId: number, ok: boolean, message: string): boolean {
    if (!this.pending.delete(requestId)) return false;
    const notice = this.notice;
    if (notice) {
      notice.textContent = message;
      notice.classList.toggle('error', !ok);
      clearTimeout(this.fade);
      if (ok) this.fade = setTimeout(() => notice.textContent === message && (notice.textContent = ''), NOTICE_MS);
    }
    return true;
  }
}
