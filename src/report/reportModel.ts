/**
 * What a report shows, decided from an experiment folder as src/core/results reads it:
 * the comparison table, one set of training curves per model, the paper's Figs. 2–3 per
 * model (a CE run next to a scaled-BN run when both exist), and every run's provenance.
 * Pure: no file access, no DOM.
 */
import { expandGrid } from '../core/config/grid';
import type { RunSpec } from '../core/config/types';
import type { DatasetSummary } from '../core/data/types';
import type { ExperimentRecord, RunRecord } from '../core/results/runReader';
import { sweepCharts } from '../core/results/sweepSeries';
import { finalAccuracy, runDiverged, type ComparisonTable } from '../core/results/table';
import type { RunSummary } from '../core/results/types';
import { buildSnapshot } from '../host/experimentSnapshot'; // the panel's own run views
import { REPORT_DATA_VERSION, type ReportData } from '../protocol/report';
import type { ExperimentSnapshot, RunSnapshot } from '../protocol/webview';
import { tuningSection, type TuningSection } from './tuningSection';

type FigureKind = 'table' | 'curve' | 'logits' | 'norms' | 'sweep' | 'tuning';

/** One exported figure: an element of the page with `data-png`, saved as `file`. */
export interface FigureSpec {
  kind: FigureKind;
  /** PNG file name, unique within the report. */
  file: string;
  title: string;
  /** A second caption line: which model and runs. */
  subtitle?: string;
  /** The canvas it draws on (none for the table). */
  canvasId?: string;
}

interface CurveSection {
  title: string;
  runIds: string[];
  figures: FigureSpec[]; // test acc, train loss, train acc, test loss
}

interface DiagnosticSection {
  title: string;
  runIds: string[];
  figures: FigureSpec[]; // logits and/or weight norms
}

/** One run's line in the report's run list, with where its numbers came from. */
export interface RunRow {
  runId: string;
  model: string;
  loss: string;
  dataset: string;
  seed: number;
  state: string;
  reason?: string;
  /** Why the run no longer matches the experiment's config (core/results/staleness.ts). */
  stale?: string;
  epochsDone: number;
  epochs: number;
  /** Fraction; partial when the run is unfinished (its last finished epoch). */
  finalTestAcc?: { acc: number; partial: boolean };
  bestTestAcc?: number;
  backend?: string;
  /** From summary.json; else the sum of the finished epochs' times (partial). */
  wallSeconds?: { seconds: number; partial: boolean };
  trainableParams?: number;
  machine?: RunSummary['machine'];
  versions?: Record<string, string>;
  spec?: RunSpec;
  updatedAt?: string;
  warnings: string[];
}

export interface ReportModel {
  experiment: ExperimentRecord;
  snapshot: ExperimentSnapshot;
  table: ComparisonTable;
  tableFigure: FigureSpec;
  /** One chart per swept field: final test accuracy against its value (none without a sweep). */
  sweeps: FigureSpec[];
  /** A hyperparameter search's studies (search.json); absent for other experiments. */
  tuning?: TuningSection;
  curves: CurveSection[];
  diagnostics: DiagnosticSection[];
  /** The runs on disk, then the grid's runs that never started (state 'not started'). */
  runs: RunRow[];
  /** Distinct dataset summaries (dataset.json), each with the runs that trained on it. */
  datasets: { summary: DatasetSummary; runIds: string[] }[];
  /** What the page's script draws. */
  data: ReportData;
}

/** A file-name-safe form of a label: "Simple CNN ×0.25" → "simple-cnn-x0.25". */
export function slug(label: string): string {
  const s = label
    .toLowerCase()
    .replace(/×/g, 'x')
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return s || 'model';
}

/** Runs of one model (and dataset), in the table's column order, then any others as first seen. */
function modelGroups(snapshot: ExperimentSnapshot, table: ComparisonTable): { title: string; runs: RunSnapshot[] }[] {
  const keyOf = (dataset: string, model: string) => JSON.stringify([dataset, model]);
  const groups = new Map<string, { dataset: string; model: string; runs: RunSnapshot[] }>();
  for (const column of table.columns) groups.set(keyOf(column.dataset, column.model), { dataset: column.dataset, model: column.model, runs: [] });
  for (const run of snapshot.runs) {
    const key = keyOf(run.datasetLabel, run.modelLabel);
    const group = groups.get(key) ?? { dataset: run.datasetLabel, model: run.modelLabel, runs: [] };
    group.runs.push(run);
    groups.set(key, group);
  }
  const datasets = new Set([...groups.values()].map((g) => g.dataset));
  return [...groups.values()].filter((g) => g.runs.length > 0).map((g) => ({ title: datasets.size > 1 && g.dataset ? `${g.model} (${g.dataset})` : g.model, runs: g.runs }));
}

const lossName = (r: RunSnapshot, spec?: RunSpec) => spec?.loss.name ?? r.lossName;
const isCe = (r: RunSnapshot, spec?: RunSpec) => lossName(r, spec) === 'ce';
const isScaledBn = (r: RunSnapshot, spec?: RunSpec) => lossName(r, spec) === 'scaled-bn';

/**
 * The runs of a model's Figs. 2–3: its CE run next to a scaled-BN run (the first setting
 * in grid order, of the same seed when there is one), else its first one or two runs
 * with diagnostics of different losses.
 */
export function diagnosticRuns(runs: readonly RunSnapshot[], specOf: (runId: string) => RunSpec | undefined): RunSnapshot[] {
  const withDiagnostics = runs.filter((r) => r.logits || r.weightNorms);
  const bySeed = (a: RunSnapshot, b: RunSnapshot) => a.seed - b.seed;
  const ce = withDiagnostics.filter((r) => isCe(r, specOf(r.runId))).sort(bySeed)[0];
  const scaled = withDiagnostics.filter((r) => isScaledBn(r, specOf(r.runId)));
  const sbn = (ce && scaled.find((r) => r.seed === ce.seed)) ?? scaled[0];
  const first = ce ?? sbn ?? withDiagnostics[0];
  if (!first) return [];
  const second =
    (first === ce ? sbn : undefined) ??
    withDiagnostics.find((r) => r !== first && r.lossLabel !== first.lossLabel && r.seed === first.seed) ??
    withDiagnostics.find((r) => r !== first && r.lossLabel !== first.lossLabel);
  return second ? [first, second] : [first];
}

const CURVES = [
  { id: 'test-acc', title: 'Test accuracy' },
  { id: 'train-loss', title: 'Train loss' },
  { id: 'train-acc', title: 'Train accuracy' },
  { id: 'test-loss', title: 'Test loss' },
] as const;

function runRow(record: RunRecord, view: RunSnapshot | undefined): RunRow {
  const { summary, status, spec, metrics } = record;
  const final = runDiverged(record) ? undefined : finalAccuracy(record);
  const best = summary?.bestTestAcc ?? (metrics.length > 0 ? Math.max(...metrics.map((m) => m.testAcc)) : undefined);
  const wall =
    summary && Number.isFinite(summary.wallSeconds)
      ? { seconds: summary.wallSeconds, partial: false }
      : metrics.length > 0
        ? { seconds: metrics.reduce((a, m) => a + m.seconds, 0), partial: true }
        : undefined;
  return {
    runId: record.runId,
    model: view?.modelLabel ?? summary?.model ?? record.runId,
    loss: view?.lossLabel ?? summary?.loss ?? record.runId,
    dataset: view?.datasetLabel ?? '',
    seed: view?.seed ?? summary?.seed ?? 0,
    state: view?.state ?? status?.state ?? 'unknown',
    ...(view?.reason ? { reason: view.reason } : {}),
    ...(view?.stale ? { stale: view.stale } : {}),
    epochsDone: status?.epoch ?? metrics.length,
    epochs: status?.epochs ?? spec?.training.epochs ?? metrics.length,
    ...(final ? { finalTestAcc: final } : {}),
    ...(best !== undefined && Number.isFinite(best) ? { bestTestAcc: best } : {}),
    ...((summary?.backend ?? status?.backend) ? { backend: summary?.backend ?? status?.backend } : {}),
    ...(wall ? { wallSeconds: wall } : {}),
    ...(summary?.trainableParams !== undefined ? { trainableParams: summary.trainableParams } : {}),
    ...(summary?.machine ? { machine: summary.machine } : {}),
    ...(summary?.versions ? { versions: summary.versions } : {}),
    ...(spec ? { spec } : {}),
    ...(status?.updatedAt ? { updatedAt: status.updatedAt } : {}),
    warnings: record.warnings,
  };
}

export function reportModel(experiment: ExperimentRecord): ReportModel {
  // Runs that never started have no curves; the run table lists them (notStartedRow).
  const whole = buildSnapshot(experiment);
  const snapshot = { ...whole, runs: whole.runs.filter((r) => r.state !== 'not-started') };
  const table = snapshot.table;
  const specs = new Map(experiment.runs.map((r) => [r.runId, r.spec]));
  const specOf = (id: string) => specs.get(id);
  const used = new Set<string>();
  const uniqueSlug = (title: string) => {
    const base = slug(title);
    let s = base;
    for (let i = 2; used.has(s); i++) s = `${base}-${i}`;
    used.add(s);
    return s;
  };

  const curves: CurveSection[] = [];
  const diagnostics: DiagnosticSection[] = [];
  const data: ReportData = { version: REPORT_DATA_VERSION, runs: snapshot.runs, curves: [], diagnostics: [] };
  modelGroups(snapshot, table).forEach((group, g) => {
    const name = uniqueSlug(group.title);
    if (group.runs.some((r) => r.metrics.length > 0)) {
      const canvasId = (id: string) => `curve-${g}-${id}`;
      const seeds = new Set(group.runs.map((r) => r.seed)).size;
      const subtitle = `${group.title} · ${seeds} seed${seeds === 1 ? '' : 's'} per setting${seeds > 1 ? ', band: mean ± std' : ''}`;
      const figures = CURVES.map((c) => ({ kind: 'curve' as const, file: `curves-${name}-${c.id}.png`, title: c.title, subtitle, canvasId: canvasId(c.id) }));
      const runIds = group.runs.map((r) => r.runId);
      curves.push({ title: group.title, runIds, figures });
      const canvases = { testAcc: canvasId('test-acc'), trainAcc: canvasId('train-acc'), trainLoss: canvasId('train-loss'), testLoss: canvasId('test-loss') };
      data.curves.push({ title: group.title, runIds, canvases });
    }
    const picked = diagnosticRuns(group.runs, specOf);
    if (picked.length > 0) {
      const runIds = picked.map((r) => r.runId);
      const sameSeed = picked.every((r) => r.seed === picked[0].seed);
      const runs = sameSeed ? `${picked.map((r) => r.lossLabel).join(' vs ')}, seed ${picked[0].seed}` : picked.map((r) => `${r.lossLabel} (seed ${r.seed})`).join(' vs ');
      const title = `${group.title}: ${runs}`;
      const figures: FigureSpec[] = [];
      const logits = picked.some((r) => r.logits) ? `logits-${g}` : undefined;
      const norms = picked.some((r) => r.weightNorms) ? `norms-${g}` : undefined;
      if (logits) figures.push({ kind: 'logits', file: `logits-${name}.png`, title: 'Distribution of the outputs, and after the scaled BN (Fig. 2)', subtitle: title, canvasId: logits });
      if (norms) figures.push({ kind: 'norms', file: `weight-norms-${name}.png`, title: 'Per-class weight norms of the last layer (Fig. 3)', subtitle: title, canvasId: norms });
      diagnostics.push({ title, runIds, figures });
      data.diagnostics.push({ title, runIds, ...(logits ? { logits } : {}), ...(norms ? { norms } : {}) });
    }
  });

  const sweepRuns = snapshot.runs.map((r) => ({ ...r, acc: r.finalAcc === undefined ? undefined : r.finalAcc * 100 }));
  const seeds = new Set(snapshot.runs.map((r) => r.seed)).size;
  const sweeps: FigureSpec[] = [];
  data.sweeps = [];
  for (const chart of sweepCharts(sweepRuns)) {
    const name = uniqueSlug(`sweep-${chart.xLabel}`);
    const subtitle = `one line per setting, ${seeds} seed${seeds === 1 ? '' : 's'} each${seeds > 1 ? ', band: mean ± std' : ''}; dashed: a loss without ${chart.xLabel}`;
    sweeps.push({ kind: 'sweep', file: `${name}.png`, title: chart.title, subtitle, canvasId: name });
    data.sweeps.push({ key: chart.key, canvas: name });
  }

  const tuning = experiment.search ? tuningSection(experiment.search, uniqueSlug) : undefined;
  if (tuning) data.tuning = tuning.data;

  const views = new Map(snapshot.runs.map((r) => [r.runId, r]));
  const onDisk = new Set(experiment.runs.map((r) => r.runId));
  const neverStarted = experiment.manifest ? gridRuns(experiment.manifest.config).filter((s) => !onDisk.has(s.runId)) : [];
  return {
    experiment,
    snapshot,
    table,
    tableFigure: { kind: 'table', file: 'table.png', title: 'Final test accuracy (%), mean (± std) over seeds' },
    sweeps,
    ...(tuning ? { tuning: tuning.section } : {}),
    curves,
    diagnostics,
    runs: [...experiment.runs.map((r) => runRow(r, views.get(r.runId))), ...neverStarted.map(notStartedRow)],
    datasets: datasetGroups(experiment.runs),
    data,
  };
}

/** The grid the manifest describes; none when its config no longer expands (an older version's). */
function gridRuns(config: Parameters<typeof expandGrid>[0]): RunSpec[] {
  try {
    return expandGrid(config);
  } catch {
    return [];
  }
}

/** A run of the grid with no folder: the grid was stopped or killed before it began. */
function notStartedRow(spec: RunSpec): RunRow {
  return {
    runId: spec.runId,
    model: spec.modelLabel,
    loss: spec.lossLabel,
    dataset: '',
    seed: spec.seed,
    state: 'not started',
    reason: 'the grid ended before this run began; run the experiment again to train it',
    epochsDone: 0,
    epochs: spec.training.epochs,
    spec,
    warnings: [],
  };
}

function datasetGroups(runs: readonly RunRecord[]): ReportModel['datasets'] {
  const groups = new Map<string, { summary: DatasetSummary; runIds: string[] }>();
  for (const r of runs) {
    if (!r.dataset) continue;
    const key = JSON.stringify(r.dataset);
    const g = groups.get(key) ?? { summary: r.dataset, runIds: [] };
    g.runIds.push(r.runId);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** Every figure of the report, in page order. */
export function allFigures(model: ReportModel): FigureSpec[] {
  return [model.tableFigure, ...(model.tuning?.studies.flatMap((s) => s.figures) ?? []), ...model.sweeps, ...model.curves.flatMap((c) => c.figures), ...model.diagnostics.flatMap((d) => d.figures)];
}
