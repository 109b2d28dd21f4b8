/**
 * A sweep over two fields as a heatmap: one cell per pair of values, coloured by the mean final
 * test accuracy over seeds and labelled with it. Hand-written SVG rather than Chart.js, which has
 * no heatmap (its matrix plugin would add a dependency for a grid of rectangles): the same string
 * is shown in the panel and saved as the SVG export. Pure, unit-tested.
 */
import type { Heatmap } from '../src/core/results/sweepGrid';
import { unitPosition } from '../src/core/results/sweepGrid';
import { escapeAttribute, escapeHtml } from '../src/core/util/format';
import { accuracyColour, labelColour } from './accuracyScale';

export interface SvgColours {
  foreground: string;
  muted: string;
  font: string;
}

/** Cell size and margins in px: room for the axis titles and value labels. */
export const HEATMAP_LAYOUT = { cell: 64, cellHeight: 36, left: 96, top: 40, bottom: 48, right: 16 } as const;

/** A number as an axis label: short, no float noise (0.30000000000000004 → 0.3). */
export const tickLabel = (v: number): string => String(Number(v.toPrecision(4)));

export function heatmapSvg(map: Heatmap, accRange: readonly [number, number], colours: SvgColours): string {
  const { cell, cellHeight, left, top, bottom, right } = HEATMAP_LAYOUT;
  const cols = map.x.values.length;
  const rows = map.y.values.length;
  const width = left + cols * cell + right;
  const height = top + rows * cellHeight + bottom;
  // The first row at the bottom, as a y axis grows upwards.
  const yOf = (row: number) => top + (rows - 1 - row) * cellHeight;
  const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x}" y="${y}" ${attrs}>${escapeHtml(s)}</text>`;
  const cells = map.cells.map((c) => {
    const fill = accuracyColour(unitPosition(c.acc, accRange[0], accRange[1]));
    const x = left + c.col * cell;
    const y = yOf(c.row);
    return (
      `<g class="cell" data-col="${c.col}" data-row="${c.row}" data-acc="${c.acc}"><title>${escapeHtml(`${map.x.label}=${tickLabel(map.x.values[c.col])}, ${map.y.label}=${tickLabel(map.y.values[c.row])}: ${c.acc.toFixed(2)} % (${c.n} run${c.n === 1 ? '' : 's'})`)}</title>` +
      `<rect x="${x}" y="${y}" width="${cell}" height="${cellHeight}" fill="${fill}" stroke="${escapeAttribute(colours.foreground)}" stroke-opacity="0.15"/>` +
      text(x + cell / 2, y + cellHeight / 2 + 4, c.acc.toFixed(1), `text-anchor="middle" fill="${labelColour(fill)}"`) +
      `</g>`
    );
  });
  const xTicks = map.x.values.map((v, i) => text(left + i * cell + cell / 2, top + rows * cellHeight + 16, tickLabel(v), 'text-anchor="middle"'));
  const yTicks = map.y.values.map((v, i) => text(left - 8, yOf(i) + cellHeight / 2 + 4, tickLabel(v), 'text-anchor="end"'));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sweep-heatmap" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeAttribute(colours.font)}" font-size="12" fill="${escapeAttribute(colours.foreground)}" role="img" aria-label="${escapeAttribute(`Final test accuracy over ${map.x.label} and ${map.y.label}: ${map.rest}`)}">`,
    text(left, 16, map.rest, 'font-weight="bold"'),
    ...cells,
    ...xTicks,
    ...yTicks,
    text(left + (cols * cell) / 2, height - 8, map.x.label, `text-anchor="middle" fill="${escapeAttribute(colours.muted)}"`),
    text(14, top + (rows * cellHeight) / 2, map.y.label, `text-anchor="middle" fill="${escapeAttribute(colours.muted)}" transform="rotate(-90 14 ${top + (rows * cellHeight) / 2})"`),
    `</svg>`,
  ].join('');
}
