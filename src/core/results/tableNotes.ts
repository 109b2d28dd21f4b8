/**
 * The statistics of a comparison table as text, shared by every format (console, Markdown, LaTeX,
 * the results panel and the report) so that they say the same thing in the same words.
 */
import { minSeedsForSignFlip, SEEDS_TO_RESOLVE_CAP, SIGNIFICANCE_LEVEL, type PairedComparison } from './stats';
import type { ComparisonTable, TableCell } from './table';
import { plural } from '../util/format';
import { paramsText } from '../search/summary';

/** "+1.20" / "-0.50": the sign always shown, so a difference reads as one. */
export function signed(x: number, digits: number): string {
  const text = Math.abs(x).toFixed(digits);
  return `${x < 0 && Number(text) !== 0 ? '-' : '+'}${text}`;
}

export function ciText(ci: [number, number] | undefined, digits: number): string {
  return ci ? `[${ci[0].toFixed(digits)}, ${ci[1].toFixed(digits)}]` : '';
}

/** Few digits for p: it is exact, but 0.0625 vs 0.06 changes nothing a reader does. */
export function pText(p: number): string {
  return p >= 0.01 ? String(Number(p.toFixed(3))) : p.toExponential(1);
}

export const NOT_SIGNIFICANT = 'n.s.';

/** "+1.20 [-0.50, 2.90] p=0.25 n.s.": the paired difference, its CI (two seeds or more) and the test. */
export function diffText(cmp: PairedComparison, digits: number, cellN?: number): string {
  const ci = cmp.ci95 ? ` ${ciText(cmp.ci95, digits)}` : '';
  // Pairing uses the seeds both cells have: say so when that is fewer than the cell's own n.
  const paired = cellN !== undefined && cmp.n !== cellN ? ` (${cmp.n} paired)` : '';
  return `${signed(cmp.diff, digits)}${ci} p=${pText(cmp.p)}${cmp.significant ? '' : ` ${NOT_SIGNIFICANT}`}${paired}`;
}

const anyCell = (table: ComparisonTable, test: (c: TableCell) => boolean) => table.cells.some((row) => row.some((c) => c !== undefined && test(c)));
export const hasComparisons = (table: ComparisonTable) => anyCell(table, (c) => c.vsBaseline !== undefined);

/** Footnotes saying which interval and which test, and why a column has no best mark. */
export function statisticsNotes(table: ComparisonTable): string[] {
  const notes: string[] = [];
  if (anyCell(table, (c) => c.ci95 !== undefined)) notes.push('[a, b]: 95% confidence interval of the mean over seeds (t-distribution, n − 1 degrees of freedom).');
  if (hasComparisons(table)) {
    const minN = Math.min(...table.cells.flat().flatMap((c) => (c?.vsBaseline ? [c.vsBaseline.n] : [])));
    notes.push(
      `Δ vs ${table.baseline}: mean of the per-seed differences from ${table.baseline} (runs of one seed share initial weights and data, so they are paired), ` +
        `its 95% t-interval, and p from an exact two-sided sign-flip permutation test over the paired seeds (all 2ⁿ sign patterns); ` +
        `${NOT_SIGNIFICANT}: p ≥ ${SIGNIFICANCE_LEVEL}. With n seeds p cannot fall below 2/2ⁿ (${pText(2 / 2 ** minN)} with ${plural(minN, 'seed')}), so p < ${SIGNIFICANCE_LEVEL} needs at least ${minSeedsForSignFlip()} seeds.`,
    );
  }
  notes.push(...tuningNotes(table));
  const unresolved = table.columns.filter((c) => c.bestWithinNoise).map((c) => c.label);
  if (unresolved.length)
    notes.push(`Best marked only where it beats the runner-up of its column by the same test (p < ${SIGNIFICANCE_LEVEL}); not marked, best within noise of the runner-up: ${unresolved.join(', ')}.`);
  return notes;
}

/** A search's rows: what each loss was tuned to on validation, and with what budget, before its test runs. */
function tuningNotes(table: ComparisonTable): string[] {
  const lines = table.rows.flatMap((loss, r) =>
    table.columns.flatMap((column, c) => {
      const t = table.cells[r][c]?.tuning;
      if (!t) return [];
      return [`${loss} on ${column.label}: ${paramsText(t.params) || 'defaults'} (trial ${t.trial}; ${plural(t.trials, 'trial')}, ${plural(t.epochsUsed, 'epoch')})`];
    }),
  );
  return lines.length ? [`Tuned on the validation split, the same budget per loss: ${lines.join('; ')}.`] : [];
}

function seedsAdviceText(cmp: PairedComparison): string {
  if (cmp.seedsToResolve !== undefined) return `about ${cmp.seedsToResolve} seeds would resolve it at the observed spread`;
  if (cmp.n < 2) return 'one seed gives no spread to plan from';
  if (cmp.diff === 0) return 'no difference to resolve';
  return `more than ${SEEDS_TO_RESOLVE_CAP} seeds would be needed at the observed spread`;
}

/**
 * One sentence per non-significant difference: how many seeds would resolve it at the observed spread,
 * e.g. "Focal γ=2 on ResNet-18: +0.80 with 3 seeds is not significant (p=0.25); about 9 seeds would resolve it."
 */
export function seedAdvice(table: ComparisonTable, digits = 2): string[] {
  return table.rows.flatMap((loss, r) =>
    table.columns.flatMap((column, c) => {
      const cmp = table.cells[r][c]?.vsBaseline;
      if (!cmp || cmp.significant) return [];
      const where = `${loss} vs ${table.baseline} on ${column.label}: ${signed(cmp.diff, digits)} points with ${plural(cmp.n, 'seed')} is not significant (p=${pText(cmp.p)})`;
      return [`${where}; ${seedsAdviceText(cmp)}.`];
    }),
  );
}
