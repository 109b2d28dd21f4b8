/**
 * A search's trials as a plain-text table (study, trial, params, rung reached, validation
 * accuracy, state), printed at the end of `losslab run` and above `losslab table`'s comparison.
 * Its words are the panel's and the report's (core/search/summary.ts).
 */
import type { SearchRecord } from '../core/search/record';
import { budgetText, lastRung, paramsText, paramText, sameBudgetText, studyTitle, TUNING_SPLIT_NOTE } from '../core/search/summary';

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function trialsTableText(record: SearchRecord): string {
  const rows = [['study', 'trial', 'params', 'rung reached', 'val acc', 'state']];
  for (const study of record.studies) {
    for (const t of study.trials) {
      const last = lastRung(t);
      const chosen = study.chosen?.trial === t.index ? ' (chosen)' : '';
      rows.push([
        studyTitle(study),
        String(t.index),
        paramsText(t.params) || 'defaults',
        last ? `epoch ${last.epoch}` : '-',
        last && Number.isFinite(last.valAcc) ? `${paramText(Number(last.valAcc.toFixed(2)))}%` : '-',
        t.state + chosen,
      ]);
    }
  }
  const budgets = record.studies.map((s) => `${studyTitle(s)}: ${budgetText(record.budget, s)}`);
  return ['Trials:', pad(rows), ...budgets, sameBudgetText(record.budget), TUNING_SPLIT_NOTE].join('\n');
}

/** "final: 4/15 runs" */
export function finalText(record: SearchRecord, finished: number): string {
  const total = record.studies.reduce((n, s) => n + s.finalRunIds.length, 0);
  return `final: ${finished}/${total} runs`;
}
