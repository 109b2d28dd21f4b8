/** Pure rule of pickAtMost.ts (no vscode here, so it is unit-tested). */

/** The selection to keep: `next` while it has at most `max` items, else the one before the extra pick. */
export function limitSelection<T>(previous: readonly T[], next: readonly T[], max: number): readonly T[] {
  return next.length > max ? previous : next;
}
