/** Axis ranges and tick labels the charts share (panel and report alike). Pure, unit-tested. */

/**
 * The epoch axis: from epoch 1 to the last planned epoch, so it does not rescale as a run
 * trains. A one-epoch experiment gets half an epoch either side (one point, centred),
 * not Chart.js' 0–2 around a single value.
 */
export function epochRange(lastEpoch: number): { min: number; max: number } {
  const last = Math.max(1, Math.ceil(lastEpoch));
  return last === 1 ? { min: 0.5, max: 1.5 } : { min: 1, max: last };
}

/** Ticks at whole epochs only, within the axis (the half epochs around a single one carry none). */
export function epochTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.max(1, Math.ceil(min)); e <= Math.floor(max); e++) ticks.push(e);
  return ticks;
}

const significand = (v: number) => v / 10 ** Math.floor(Math.log10(v));
const isRound = (v: number) => [1, 2, 5].some((s) => Math.abs(significand(v) - s) < 1e-9);

/**
 * Labels for the ticks of a log axis: round values (1, 2, 5 × 10^k), the first and the last,
 * each at least 1/`maxLabels` of the axis (in log space) from the one labelled before, so
 * labels of a narrow range ("1.53", "1.55") never overlap. Unlabelled ticks get ''.
 */
export function logTickLabels(values: readonly number[], maxLabels = 6): string[] {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return values.map(() => '');
  const logs = values.map((v) => (v > 0 ? Math.log10(v) : -Infinity));
  const span = Math.log10(Math.max(...positive)) - Math.log10(Math.min(...positive)) || 1;
  const gap = span / maxLabels;
  let last = -Infinity;
  return values.map((v, i) => {
    const candidate = v > 0 && (isRound(v) || i === 0 || i === values.length - 1);
    if (!candidate || logs[i] - last < gap) return '';
    last = logs[i];
    return String(Number(v.toPrecision(3)));
  });
}

/**
 * The curves' x range in each x-axis mode. Epoch: `epochRange`, from 0 once step points
 * exist (the first epoch's steps lie between 0 and 1). Step: 0 to the last planned epoch's
 * last step when the steps per epoch are known. Wall time: from 0, the end left to the data.
 */
export function curveXRange(mode: 'epoch' | 'step' | 'wall', lastEpoch: number, stepsPerEpoch: number | undefined, hasSteps: boolean): { min: number | undefined; max: number | undefined } {
  if (mode === 'epoch') return hasSteps ? { min: 0, max: Math.max(1, Math.ceil(lastEpoch)) } : epochRange(lastEpoch);
  if (mode === 'step') return { min: 0, max: stepsPerEpoch ? Math.max(1, Math.ceil(lastEpoch)) * stepsPerEpoch : undefined };
  return { min: 0, max: undefined };
}
