/**
 * "Save as PNG", "SVG", "CSV" and "JSON" on each chart. The webview cannot write files: it
 * posts the image or data to the host, which asks where to save it and answers with a notice.
 * CSV and JSON hold what the chart draws (chartData.ts).
 * PNG: the chart drawn again at 3× its on-screen size (print quality for a paper: 1,500 px where
 * the panel shows 500), on the panel's background (a transparent PNG of light text on a dark theme
 * is unreadable elsewhere). SVG: written from the chart's scales and datasets (chartSvg).
 */
import type { Chart } from 'chart.js';
import type { ChartImageFormat, FromWebview } from '../src/protocol/webview';
import { chartCsv, chartJson, type ChartData } from './chartData';
import { chartSvg, type SvgChart } from './chartSvg';
import { CURVE_CHARTS } from './curveMetrics';
import type { CurveCharts } from './curves';
import type { MetricKey } from './series';
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

/** A chart someone can save: its name in file names, its canvas (for PNG) and how to describe it as SVG and as data. */
export interface SavableChart {
  /** lower-case letters, digits and dashes: the host's file name check. */
  name: string;
  chart?: Chart;
  /** The SVG document; given the panel's colours and font. */
  svg(colours: SvgChart['colours'], font: string): string;
  /** What it draws, as CSV and as JSON. */
  csv(): string;
  json(): string;
}

/** CSV and JSON of a chart drawn from series of points. */
export const seriesExports = (data: () => ChartData): Pick<SavableChart, 'csv' | 'json'> => ({ csv: () => chartCsv(data()), json: () => chartJson(data()) });

export class ChartSaver {
  /** The table's requests count from 1; each saver's from its own `firstRequest`, so `notice` answers reach the right place. */
  private nextRequest: number;
  private readonly pending = new Set<number>();
  private fade: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly curves: CurveCharts,
    private readonly theme: () => Theme,
    private readonly post: (msg: FromWebview) => void,
    private readonly notice: HTMLElement | null,
    firstRequest = 1_000_000,
  ) {
    this.nextRequest = firstRequest;
  }

  /** A curve chart. */
  save(metric: MetricKey, format: ChartImageFormat): void {
    this.saveChart(
      {
        name: CURVE_CHARTS[metric].file,
        chart: this.curves.chart(metric),
        svg: (colours, font) => chartSvg({ ...this.curves.describe(metric), colours, font }),
        ...seriesExports(() => this.curves.data(metric)),
      },
      format,
    );
  }

  /** Any chart: its PNG (when it has a canvas), SVG, CSV or JSON posted to the host. */
  saveChart(target: SavableChart, format: ChartImageFormat): void {
    const theme = this.theme();
    let data: string;
    if (format === 'png') {
      if (!target.chart) return;
      data = chartPng(target.chart, background());
    } else if (format === 'svg') data = target.svg({ background: background(), foreground: theme.foreground, muted: theme.muted, grid: theme.grid }, theme.fontFamily);
    else data = format === 'csv' ? target.csv() : target.json();
    const requestId = this.nextRequest++;
    this.pending.add(requestId);
    if (this.notice) this.notice.textContent = '';
    this.post({ type: 'saveChart', requestId, format, chart: target.name, data });
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
