/**
 * The report's Tuning section, decided from search.json (core/search/record.ts): per study, a
 * figure of its trials' validation curves and one of validation accuracy against each searched
 * value, with the chosen configuration and the budget in words. Drawn by the panel's own
 * TuningCharts (webview/tuningCharts.ts) on the canvases named here. Pure.
 */
import type { SearchRecord } from '../core/search/record';
import { budgetText, chosenText, searchedFields, studyTitle } from '../core/search/summary';
import type { ReportData } from '../protocol/report';
import type { FigureSpec } from './reportModel';

interface TuningStudySection {
  title: string;
  /** The chosen configuration in words; absent while tuning goes on. */
  chosen?: string;
  budget: string;
  figures: FigureSpec[];
}

export interface TuningSection {
  search: SearchRecord;
  studies: TuningStudySection[];
}

/** The section and what the page's script needs to draw it; `slugOf` gives each figure a unique file name. */
export function tuningSection(search: SearchRecord, slugOf: (title: string) => string): { section: TuningSection; data: NonNullable<ReportData['tuning']> } {
  const data: NonNullable<ReportData['tuning']> = { search, studies: [] };
  const studies = search.studies.map((study) => {
    const title = studyTitle(study);
    const curves = slugOf(`tuning-${study.key}`);
    const figures: FigureSpec[] = [
      { kind: 'tuning', file: `${curves}.png`, title: 'Validation accuracy of each trial over epochs', subtitle: `${title} · faint: pruned or failed; bold: the chosen trial`, canvasId: curves },
    ];
    const params = searchedFields(study).map((field) => {
      const canvas = slugOf(`tuning-${study.key}-${field}`);
      figures.push({ kind: 'tuning', file: `${canvas}.png`, title: `Validation accuracy against ${field}`, subtitle: `${title} · each trial at the last rung it reached`, canvasId: canvas });
      return { field, canvas };
    });
    data.studies.push({ key: study.key, curves, params });
    const chosen = chosenText(study);
    return { title, ...(chosen ? { chosen } : {}), budget: budgetText(search.budget, study), figures };
  });
  return { section: { search, studies }, data };
}
