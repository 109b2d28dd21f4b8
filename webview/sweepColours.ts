/**
 * A sweep line's colour comes from the same place as every other chart's: the colour of its runs'
 * loss setting (its first run's), so CE's flat line has CE's colour in the curves and figures, rather
 * than a colour by the line's place in the chart; its dash from its model, as in the curves. Pure, unit-tested.
 */
import type { SweepLine } from '../src/core/results/sweepSeries';
import type { RunView } from '../src/protocol/webview';
import { colourOrder, DEFAULT_COLOUR_BY } from './colourBy';

/** The run a sweep line starts from: its first point's first run, or its flat line's. */
const firstRun = (line: SweepLine): string | undefined => line.points[0]?.runIds[0] ?? line.reference?.runIds[0];

/**
 * Line label → colour, each from `colourOf` of the loss setting of the line's first run: the lines
 * of one setting (one per model in a grid over models) share it. Where that repeats the colour of
 * another setting (more settings than the palette has colours), the setting takes the first palette
 * colour no other uses: two settings of one chart must not look alike.
 */
export function sweepLineColours(
  lines: readonly SweepLine[],
  lossOfRun: (runId: string) => string | undefined,
  colourOf: (lossLabel: string) => string,
  palette: readonly string[],
): Map<string, string> {
  const bySetting = new Map<string, string>();
  const colours = new Map<string, string>();
  for (const line of lines) {
    const first = firstRun(line);
    const setting = (first === undefined ? undefined : lossOfRun(first)) ?? line.label;
    let colour = bySetting.get(setting);
    if (colour === undefined) {
      const own = colourOf(setting);
      const taken = new Set(bySetting.values());
      colour = taken.has(own) ? (palette.find((c) => !taken.has(c)) ?? own) : own;
      bySetting.set(setting, colour);
    }
    colours.set(line.label, colour);
  }
  return colours;
}

/**
 * Line label → its model's place among the dash patterns (MODEL_DASHES), as the curves dash it,
 * where the chart holds lines of several models; empty otherwise (every line keeps its own style).
 */
export function sweepLineDashes(lines: readonly SweepLine[], modelOfRun: (runId: string) => string | undefined, dashOf: (model: string) => number): Map<string, number> {
  const modelOf = (line: SweepLine) => {
    const first = firstRun(line);
    return first === undefined ? undefined : modelOfRun(first);
  };
  if (new Set(lines.map(modelOf)).size < 2) return new Map();
  return new Map(
    lines.flatMap((line) => {
      const model = modelOf(line);
      return model === undefined ? [] : [[line.label, dashOf(model)] as const];
    }),
  );
}

/** Where no chart hands one over (the report): the curves' rule, each setting's colour from its place in `colourOrder`. */
export function settingColours(runs: readonly RunView[], palette: readonly string[]): (lossLabel: string) => string {
  const index = colourOrder(runs, DEFAULT_COLOUR_BY);
  return (lossLabel) => palette[(index.get(lossLabel) ?? index.size) % palette.length];
}
