/** Which runs the logit and weight-norm figures show when the user has not chosen, how they are coloured, and what the boxes say when there is nothing to draw. Pure. */

export interface DiagnosticRun {
  runId: string;
  /** The config's loss name: what identifies CE and scaled BN here. */
  lossName?: string;
  lossLabel: string;
  hasDiagnostics: boolean;
}

/** CE next to a scaled-BN run when both finished (the paper's Figs. 2–3), else the first one or two finished runs. */
export function defaultSelection(runs: readonly DiagnosticRun[]): string[] {
  const finished = runs.filter((r) => r.hasDiagnostics);
  if (finished.length === 0) return [];
  const first = finished.find((r) => r.lossName === 'ce') ?? finished[0];
  const second = finished.find((r) => r !== first && r.lossName === 'scaled-bn') ?? finished.find((r) => r !== first && r.lossLabel !== first.lossLabel);
  return second ? [first.runId, second.runId] : [first.runId];
}

/** States that still end in a finished run without anyone acting. */
const UNDER_WAY = new Set(['queued', 'running']);

/**
 * What the logit and weight-norm boxes say while no run has a final model to draw them from:
 * when they will appear, or what to do when no run is going to finish on its own.
 */
export function noDiagnosticsText(states: readonly string[]): string {
  const underWay = states.filter((s) => UNDER_WAY.has(s)).length;
  if (states.length === 0) return 'No runs yet. Run the experiment: these figures are drawn from each run’s final model when it finishes.';
  if (underWay > 0) return `Drawn from a run’s final model when it finishes (${underWay} run${underWay === 1 ? '' : 's'} queued or training).`;
  return 'No run finished, so there is no final model to draw these figures from. Resume a stopped or failed run from the Loss Lab view (Resume Run goes on from its last finished epoch), or run the experiment again.';
}

/**
 * The colour of each picked run in the logit and weight-norm figures: its loss setting's, as in
 * the training curves (`lossColours`, from `colourOrder` over the experiment's runs). A second
 * pick of the same loss (another seed) keeps the colour and is told apart by a dash.
 */
export function pickStyles(picked: readonly { lossLabel: string }[], lossColours: ReadonlyMap<string, number>): { colourIndex: number; dashed: boolean }[] {
  return picked.map((run, i) => {
    const colourIndex = lossColours.get(run.lossLabel) ?? 0;
    return { colourIndex, dashed: i > 0 && picked.slice(0, i).some((p) => (lossColours.get(p.lossLabel) ?? 0) === colourIndex) };
  });
}
