/**
 * A curve chart as a vector SVG, written from the chart's scales and datasets rather than by
 * replaying its canvas drawing into an SVG context (canvas2svg and its forks): the output is
 * small, one `<path>` per run that an editor (Inkscape, Illustrator) can restyle, and this
 * module is pure, so the coordinates are unit-tested against hand-computed values. Values map
 * to pixels as Chart.js' linear and logarithmic scales map them.
 */
import type { Point } from './series';
import { escapeAttribute } from '../src/core/util/format';

interface SvgAxis {
  type: 'linear' | 'logarithmic';
  min: number;
  max: number;
  title: string;
  ticks: { value: number; label: string }[];
}

interface SvgSeries {
  label: string;
  colour: string;
  width: number;
  dash: readonly number[];
  /** Radius of the point markers, 0 for none (a lone point is a marker only: a path of one point draws nothing). */
  pointRadius: number;
  points: readonly Point[];
}

interface SvgBand {
  colour: string;
  lower: readonly Point[];
  upper: readonly Point[];
}

export interface SvgChart {
  title: string;
  width: number;
  height: number;
  /** The plot area in pixels, as Chart.js' chartArea. */
  area: { left: number; top: number; right: number; bottom: number };
  x: SvgAxis;
  y: SvgAxis;
  series: readonly SvgSeries[];
  bands: readonly SvgBand[];
  /** The legend's entries (the loss settings), drawn in a row above the plot area. */
  legend: readonly { label: string; colour: string }[];
  colours: { background: string; foreground: string; muted: string; grid: string };
  font: string;
}

/** The fraction of the axis' length at which `value` lies; NaN where it cannot be drawn (≤ 0 on a log axis). */
function fraction(axis: SvgAxis, value: number): number {
  if (axis.type === 'logarithmic') {
    if (!(value > 0) || !(axis.min > 0)) return NaN;
    return (Math.log10(value) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min));
  }
  return (value - axis.min) / (axis.max - axis.min);
}

/** The pixel of an x value (left to right). */
function xPixel(chart: Pick<SvgChart, 'area' | 'x'>, value: number): number {
  return chart.area.left + fraction(chart.x, value) * (chart.area.right - chart.area.left);
}

/** The pixel of a y value (bottom to top). */
function yPixel(chart: Pick<SvgChart, 'area' | 'y'>, value: number): number {
  return chart.area.bottom - fraction(chart.y, value) * (chart.area.bottom - chart.area.top);
}

const round = (v: number) => Number(v.toFixed(2));

/** A polyline's path data; a point that cannot be drawn (NaN, ≤ 0 on a log axis) breaks the line there, as Chart.js does. */
export function pathData(chart: Pick<SvgChart, 'area' | 'x' | 'y'>, points: readonly Point[]): string {
  const parts: string[] = [];
  let pen = false;
  for (const p of points) {
    const x = xPixel(chart, p.x);
    const y = yPixel(chart, p.y);
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${round(x)} ${round(y)}`);
    pen = true;
  }
  return parts.join(' ');
}

function bandPath(chart: SvgChart, band: SvgBand): string {
  const upper = pathData(chart, band.upper);
  const lower = pathData(chart, [...band.lower].reverse());
  if (!upper || !lower) return '';
  return `${upper} ${lower.replace(/^M/, 'L')} Z`;
}

/** The legend as a row of swatches and labels from the plot's left edge (about 7 px a character, wrapping at the right edge). */
function legendEntries(chart: SvgChart): string[] {
  const out: string[] = [];
  let x = chart.area.left;
  let y = 12;
  for (const entry of chart.legend) {
    const w = 22 + entry.label.length * 7;
    if (x > chart.area.left && x + w > chart.width) {
      x = chart.area.left;
      y += 16;
    }
    out.push(`<rect x="${round(x)}" y="${y - 8}" width="14" height="8" fill="${escapeAttribute(entry.colour)}"/>`);
    out.push(`<text x="${round(x + 18)}" y="${y}" fill="${escapeAttribute(chart.colours.foreground)}">${escapeAttribute(entry.label)}</text>`);
    x += w + 10;
  }
  return out;
}

/** The series' point markers, as Chart.js draws them (points that cannot be drawn are skipped). */
function markers(chart: SvgChart, s: SvgSeries): string {
  const circles = s.points
    .map((p) => [xPixel(chart, p.x), yPixel(chart, p.y)])
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
    .map(([x, y]) => `<circle cx="${round(x)}" cy="${round(y)}" r="${s.pointRadius}"/>`);
  return `<g data-markers="${escapeAttribute(s.label)}" fill="${escapeAttribute(s.colour)}" stroke="none">${circles.join('')}</g>`;
}

export function chartSvg(chart: SvgChart): string {
  const { area, colours, width, height } = chart;
  const font = `font-family="${escapeAttribute(chart.font)}" font-size="11"`;
  const inX = (v: number) => Number.isFinite(xPixel(chart, v)) && xPixel(chart, v) >= area.left - 0.5 && xPixel(chart, v) <= area.right + 0.5;
  const inY = (v: number) => Number.isFinite(yPixel(chart, v)) && yPixel(chart, v) >= area.top - 0.5 && yPixel(chart, v) <= area.bottom + 0.5;
  const xTicks = chart.x.ticks.filter((t) => inX(t.value));
  const yTicks = chart.y.ticks.filter((t) => inY(t.value));
  const lines: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeAttribute(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="${escapeAttribute(colours.background)}"/>`,
    `<defs><clipPath id="plot"><rect x="${round(area.left)}" y="${round(area.top)}" width="${round(area.right - area.left)}" height="${round(area.bottom - area.top)}"/></clipPath></defs>`,
    `<g class="grid" stroke="${escapeAttribute(colours.grid)}" stroke-width="1">`,
    ...xTicks.map((t) => `<line x1="${round(xPixel(chart, t.value))}" y1="${round(area.top)}" x2="${round(xPixel(chart, t.value))}" y2="${round(area.bottom)}"/>`),
    ...yTicks.map((t) => `<line x1="${round(area.left)}" y1="${round(yPixel(chart, t.value))}" x2="${round(area.right)}" y2="${round(yPixel(chart, t.value))}"/>`),
    '</g>',
    `<g class="ticks" fill="${escapeAttribute(colours.foreground)}" ${font}>`,
    ...xTicks.filter((t) => t.label).map((t) => `<text x="${round(xPixel(chart, t.value))}" y="${round(area.bottom + 14)}" text-anchor="middle">${escapeAttribute(t.label)}</text>`),
    ...yTicks.filter((t) => t.label).map((t) => `<text x="${round(area.left - 6)}" y="${round(yPixel(chart, t.value) + 4)}" text-anchor="end">${escapeAttribute(t.label)}</text>`),
    '</g>',
    `<g class="titles" fill="${escapeAttribute(colours.muted)}" ${font}>`,
    `<text x="${round((area.left + area.right) / 2)}" y="${round(Math.min(height - 4, area.bottom + 32))}" text-anchor="middle">${escapeAttribute(chart.x.title)}</text>`,
    `<text transform="translate(12 ${round((area.top + area.bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeAttribute(chart.y.title)}</text>`,
    '</g>',
    '<g class="bands" clip-path="url(#plot)">',
    ...chart.bands.map((b) => bandPath(chart, b)).flatMap((d, i) => (d ? [`<path d="${d}" fill="${escapeAttribute(chart.bands[i].colour)}" stroke="none"/>`] : [])),
    '</g>',
    '<g class="runs" clip-path="url(#plot)" fill="none" stroke-linejoin="round">',
    ...chart.series.map((s) => {
      const dash = s.dash.length > 0 ? ` stroke-dasharray="${s.dash.join(' ')}"` : '';
      const path = `<path data-run="${escapeAttribute(s.label)}" d="${pathData(chart, s.points)}" stroke="${escapeAttribute(s.colour)}" stroke-width="${s.width}"${dash}><title>${escapeAttribute(s.label)}</title></path>`;
      return s.pointRadius > 0 ? `${path}\n${markers(chart, s)}` : path;
    }),
    '</g>',
    `<rect x="${round(area.left)}" y="${round(area.top)}" width="${round(area.right - area.left)}" height="${round(area.bottom - area.top)}" fill="none" stroke="${escapeAttribute(colours.grid)}"/>`,
    `<g class="legend" ${font}>`,
    ...legendEntries(chart),
    '</g>',
    '</svg>',
  ];
  return lines.join('\n') + '\n';
}
