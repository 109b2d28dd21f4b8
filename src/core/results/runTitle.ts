/** How a person names a run, in the panel, the tree and confirmations alike: "Scaled-BN m=0.9 · ResNet-18 · seed 1". */
export function runTitle(run: { lossLabel: string; modelLabel: string; seed: number }): string {
  return `${run.lossLabel} · ${run.modelLabel} · seed ${run.seed}`;
}
