/** How a person names a run, in the panel, the tree, notifications and confirmations alike: "Scaled-BN m=0.9 · ResNet-18 · seed 1". */
export function runTitle(run: { lossLabel: string; modelLabel: string; seed: number }): string {
  return `${run.lossLabel} · ${run.modelLabel} · seed ${run.seed}`;
}

/** A run's title in a results panel: where it compares experiments (the run view names one), that experiment first, as two can share the rest. */
export function panelRunTitle(view: { lossLabel: string; modelLabel: string; seed: number; experiment?: string }): string {
  return view.experiment ? `${view.experiment}: ${runTitle(view)}` : runTitle(view);
}

/** The title of `runId` among a grid's specs; the id itself for a run the grid does not list. */
export function runTitleIn(runs: readonly { runId: string; lossLabel: string; modelLabel: string; seed: number }[], runId: string): string {
  const run = runs.find((r) => r.runId === runId);
  return run ? runTitle(run) : runId;
}
