/** Pure rules of pickAtMost.ts and of how many runs Compare Runs takes (no vscode here, so they are unit-tested). */

/** The selection to keep: `next` while it has at most `max` items, else the one before the extra pick. */
export function limitSelection<T>(previous: readonly T[], next: readonly T[], max: number): readonly T[] {
  return next.length > max ? previous : next;
}

/**
 * Compare Runs takes 2 to 4 runs: one is no comparison, and past four the curves of the
 * compared runs (each a line in every chart) and the config diff's columns stop being readable.
 */
export const COMPARE_RUNS = { min: 2, max: 4 } as const;

/** Why `n` runs cannot be compared, or undefined when they can. */
export function compareCountProblem(n: number): 'too-few' | 'too-many' | undefined {
  if (n < COMPARE_RUNS.min) return 'too-few';
  if (n > COMPARE_RUNS.max) return 'too-many';
  return undefined;
}
