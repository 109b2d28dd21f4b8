/** Which runs the logit and weight-norm figures show when the user has not chosen. Pure. */

export interface DiagnosticRun {
  runId: string;
  lossLabel: string;
  hasDiagnostics: boolean;
}

/** CE next to a scaled-BN run when both finished (the paper's Figs. 2–3), else the first one or two finished runs. */
export function defaultSelection(runs: readonly DiagnosticRun[]): string[] {
  const finished = runs.filter((r) => r.hasDiagnostics);
  if (finished.length === 0) return [];
  const first = finished.find((r) => r.lossLabel === 'CE') ?? finished[0];
  const second =
    finished.find((r) => r !== first && r.lossLabel.startsWith('Scaled-BN')) ?? finished.find((r) => r !== first && r.lossLabel !== first.lossLabel);
  return second ? [first.runId, second.runId] : [first.runId];
}
