/**
 * A search's trials as a plain-text table (study, trial, params, rung reached, validation
 * accuracy, state), printed at the end of `losslab run` and above `losslab table`'s comparison.
 */
import { epochsUsed, paramsText, type SearchRecord } from '../core/search/record';

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
      const last = t.rungs.at(-1);
      const chosen = study.chosen?.trial === t.index ? ' (chosen)' : '';
      rows.push([
        `${study.modelLabel} · ${study.lossLabel}`,
        String(t.index),
        paramsText(t.params) || 'defaults',
        last ? `epoch ${last.epoch}` : '-',
        last && Number.isFinite(last.valAcc) ? `${last.valAcc.toFixed(2)}%` : '-',
        t.state + chosen,
      ]);
    }
  }
  const { trialsPerStudy, rungs, eta, finalSeeds } = record.budget;
  const head = `Trials (${trialsPerStudy} per study; rungs at epochs ${rungs.join(', ')}${rungs.length > 1 ? `, best 1/${eta} move up` : ''}; final seeds ${finalSeeds.join(', ')}):`;
  const used = record.studies.map((s) => `${s.modelLabel} · ${s.lossLabel} ${epochsUsed(s)}`).join(', ');
  return `${head}\n${pad(rows)}\nEpochs trained by all trials: ${used}`;
}

/** "final: 4/15 runs" */
export function finalText(record: SearchRecord, finished: number): string {
  const total = record.studies.reduce((n, s) => n + s.finalRunIds.length, 0);
  return `final: ${finished}/${total} runs`;
}
