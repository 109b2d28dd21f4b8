/**
 * A sweep over three or more fields as parallel coordinates, W&B's view: one vertical axis per
 * swept field and one for the final test accuracy, one line per setting through its values,
 * coloured by its accuracy. A field's values sit evenly spaced in ascending order (swept values
 * are usually a log grid: 1e-4, 1e-3, 1e-2); accuracy is linear. Hand-written SVG like the
 * heatmap (Chart.js has no parallel axes), shown in the panel and saved as is. Pure, unit-tested.
 */
import type { SweepGrid } from '../src/core/results/sweepGrid';
import { unitPosition } from '../src/core/results/sweepGrid';
import { escapeAttribute, escapeHtml } from '../src/core/util/format';
import { accuracyColour } from './accuracyScale';
import { tickLabel, type SvgColours } from './heatmap';

export const PARALLEL_LAYOUT = { axisGap: 140, left: 60, right: 60, top: 36, height: 220, bottom: 24 } as const;

/** A value's height on its axis as 0 (bottom) … 1 (top): a field by its rank, accuracy linearly. */
export function axisPositions(grid: SweepGrid, values: readonly number[], acc: number): number[] {
  const fields = grid.fields.map((f, i) => unitPosition(f.values.indexOf(values[i]), 0, f.values.length - 1));
  return [...fields, unitPosition(acc, grid.accRange[0], grid.accRange[1])];
}

export function parallelCoordsSvg(grid: SweepGrid, colours: SvgColours): string {
  const { axisGap, left, right, top, height, bottom } = PARALLEL_LAYOUT;
  const axes = [
    ...grid.fields.map((f) => ({ label: f.label, ticks: f.values.map((v, i) => ({ at: unitPosition(i, 0, f.values.length - 1), label: tickLabel(v) })) })),
    { label: 'test accuracy (%)', ticks: grid.accRange.map((v, i) => ({ at: i, label: v.toFixed(1) })) },
  ];
  const width = left + (axes.length - 1) * axisGap + right;
  const total = top + height + bottom;
  const xOf = (i: number) => left + i * axisGap;
  const yOf = (at: number) => top + (1 - at) * height;
  const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x}" y="${y}" ${attrs}>${escapeHtml(s)}</text>`;
  // Best last, so it is drawn on top.
  const lines = [...grid.settings]
    .sort((a, b) => a.acc - b.acc)
    .map((s) => {
      const d = axisPositions(grid, s.values, s.acc)
        .map((at, i) => `${i === 0 ? 'M' : 'L'}${xOf(i).toFixed(1)},${yOf(at).toFixed(1)}`)
        .join(' ');
      const name = `${s.rest}: ${grid.fields.map((f, i) => `${f.label}=${tickLabel(s.values[i])}`).join(', ')} → ${s.acc.toFixed(2)} %`;
      return `<path class="setting" d="${d}" fill="none" stroke="${accuracyColour(unitPosition(s.acc, grid.accRange[0], grid.accRange[1]))}" stroke-width="2" data-acc="${s.acc}"><title>${escapeHtml(name)}</title></path>`;
    });
  const axisMarks = axes.map((a, i) => {
    const x = xOf(i);
    const ticks = a.ticks.map((t) => text(x - 6, yOf(t.at) + 4, t.label, 'text-anchor="end"'));
    return `<g class="axis"><line x1="${x}" y1="${top}" x2="${x}" y2="${top + height}" stroke="${escapeAttribute(colours.muted)}"/>${text(x, top - 14, a.label, 'text-anchor="middle" font-weight="bold"')}${ticks.join('')}</g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sweep-parallel" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="${escapeAttribute(colours.font)}" font-size="12" fill="${escapeAttribute(colours.foreground)}" role="img" aria-label="Final test accuracy of each setting across ${grid.fields.length} swept fields">`,
    ...lines,
    ...axisMarks,
    `</svg>`,
  ].join('');
}
