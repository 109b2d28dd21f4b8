/**
 * Which of a finished run's step points the train charts can show, so the page asks the host for
 * those only: none on the epoch axis at full range (epoch points say as much at that scale), the
 * zoomed window otherwise, every step when a chart shows the whole step or wall-time axis.
 * In global steps. Pure, unit-tested.
 */
import type { XRange } from '../src/core/results/decimate';
import type { CurveXAxis } from '../src/protocol/webview';

/** `undefined`: no step points needed; `{}`: all of them; else global steps `from` to `to`. */
export type StepWindow = { from?: number; to?: number } | undefined;

/** `zooms`: each train chart's zoomed x window, undefined where it shows the whole axis. */
export function stepWindow(mode: CurveXAxis, zooms: readonly (XRange | undefined)[], stepsPerEpoch: number | undefined): StepWindow {
  const zoomed = zooms.filter((z): z is XRange => z !== undefined);
  if (mode === 'wall') return {}; // seconds do not map to steps without the points themselves
  if (mode === 'epoch' && zoomed.length === 0) return undefined;
  if (mode === 'step' && zoomed.length < zooms.length) return {};
  if (mode === 'epoch' && !stepsPerEpoch) return {};
  const scale = mode === 'epoch' ? stepsPerEpoch! : 1;
  return { from: Math.floor(Math.min(...zoomed.map((z) => z.min)) * scale), to: Math.ceil(Math.max(...zoomed.map((z) => z.max)) * scale) };
}
