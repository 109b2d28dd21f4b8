/**
 * A sweep line's colour comes from the same place as every other chart's: the colour of its runs'
 * loss setting (its first run's), so CE's flat line has CE's colour in the curves and figures, rather
 * than a colour by the line's place in the chart. Pure, unit-tested.
 */
import type { SweepLine } from '../src/core/results/sweepSeries';
import type { RunView } from '../src/protocol/webview';
import { colourOrder, DEFAULT_COLOUR_BY } from './colourBy';

/**
 * Line label → colour, each from `colourOf` of the loss setting of the line's first run. Where that
 * repeats a colour of an earlier line (more settings than the palette has colours), the line takes the
 * first palette colour no line uses: two lines of one chart must not look alike.
 */
export function sweepLineColours(
  lines: readonly SweepLine[],
  lossOfRun: (runId: string) => string | undefined,
  colourOf: (lossLabel: string) => string,
  palette: readonly string[],
): Map<string, string> {
  const colours = new Map<string, string>();
  for (const line of lines) {
    const first = line.points[0]?.runIds[0] ?? line.reference?.runIds[0];
    const own = colourOf((first === undefined ? undefined : lossOfRun(first)) ?? line.label);
    const taken = new Set(colours.values());
    colours.set(line.label, taken.has(own) ? (palette.find((c) => !taken.has(c)) ?? own) : own);
  }
  return colours;
}

/** Where no chart hands one over (the report): the curves' rule, each setting's colour from its place in `colourOrder`. */
export function settingColours(runs: readonly RunView[], palette: readonly string[]): (lossLabel: string) => string {
  const index = colourOrder(runs, DEFAULT_COLOUR_BY);
  return (lossLabel) => palette[(index.get(lossLabel) ?? index.size) % palette.length];
}
