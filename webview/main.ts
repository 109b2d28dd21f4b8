/**
 * The results panel's script. It says `ready`, receives the experiment in `init`, then
 * applies each incremental message to the charts, the table and the run list.
 */
import { parseToWebview, parseWebviewState, WEBVIEW_PROTOCOL_VERSION, type ExperimentSnapshot, type FromWebview, type RunTableState, type ToWebview } from '../src/protocol/webview';
import { ChartSaver } from './chartExport';
import { zoomInteractions } from './chartZoom';
import { ConfigDiffView } from './configDiff';
import { bindCurveControls } from './curveControls';
import { bindCurveGrouping, EXTRA_METRICS, type CurveGrouping } from './curveGrouping';
import { CurveCharts } from './curves';
import type { CurveViewOptions } from './curveStore';
import { DiagnosticCharts } from './diagnostics';
import { RunListView, type RunListState } from './runList';
import { RunTableView } from './runTable';
import { RunStatusView } from './status';
import { SweepCharts } from './sweepCharts';
import { SweepGridView } from './sweepGridView';
import { describedSavable } from './figureExport';
import { TuningCharts } from './tuningCharts';
import { FINAL_TABLE_NOTE } from '../src/core/search/summary';
import { ComparisonTableView } from './table';
import { drawReportFigures } from './panelReport';
import { onThemeChange, readTheme } from './theme';
import { vscode } from './vscodeApi';

const post = (msg: FromWebview) => vscode.postMessage(msg);
const log = (level: 'info' | 'warn' | 'error', message: string) => post({ type: 'log', level, message });

window.addEventListener('error', (e) => log('error', `${e.message} (${e.filename}:${e.lineno})`));
window.addEventListener('unhandledrejection', (e) => log('error', String(e.reason)));

const restored = parseWebviewState(vscode.getState());
let experimentDir = restored?.experimentDir;
/** All folders of a panel comparing experiments; undefined for one. */
let experimentDirs = restored?.experimentDirs;
// Smoothing, axes, hidden runs, the run table's sort and filter, the compared runs and scroll as
// someone left them, across reloads and window restarts.
let curveView: CurveViewOptions = { smoothing: restored?.smoothing ?? 0, logAxes: restored?.logAxes ?? {}, xAxis: restored?.xAxis ?? 'epoch' };
let runListState: RunListState = { unticked: restored?.hiddenRuns ?? [], filter: restored?.runFilter ?? '' };
let runTableState: RunTableState = restored?.runTable ?? {};
let grouping: CurveGrouping = {
  colourBy: restored?.colourBy ?? 'loss',
  baseline: restored?.baseline,
  extraMetric: EXTRA_METRICS.find((m) => m === restored?.extraMetric),
};
let focused: string[] = restored?.focus ?? [];
let scrollY = restored?.scrollY ?? 0;
let selection: string[] | undefined;
const saveState = () => {
  if (!experimentDir) return;
  vscode.setState({
    experimentDir,
    ...(experimentDirs ? { experimentDirs } : {}),
    ...(selection ? { selection } : {}),
    smoothing: curveView.smoothing ?? 0,
    logAxes: { ...curveView.logAxes },
    xAxis: curveView.xAxis ?? 'epoch',
    hiddenRuns: runListState.unticked,
    runFilter: runListState.filter,
    runTable: runTableState,
    ...(focused.length > 0 ? { focus: focused } : {}),
    colourBy: grouping.colourBy,
    ...(grouping.baseline ? { baseline: grouping.baseline } : {}),
    ...(grouping.extraMetric ? { extraMetric: grouping.extraMetric } : {}),
    scrollY,
  });
};
const saveSelection = (picked: string[] | undefined) => {
  selection = picked;
  saveState();
};

let theme = readTheme();
const curves = new CurveCharts(
  theme,
  undefined,
  curveView,
  zoomInteractions(() => theme, {
    onHighlight: (runId) => runList.setHighlighted(runId),
    onLossToggled: (runIds, hidden) => runList.setTicked(runIds, !hidden),
    requestSteps: (request) => post({ type: 'steps', ...request }),
  }),
);
// The charts' listeners run only on hover and legend clicks, after the list exists.
const runList: RunListView = new RunListView(
  document.getElementById('run-list')!,
  document.getElementById('run-list-filter') as HTMLInputElement,
  document.getElementById('run-list-count'),
  runListState,
  (run) => curves.runColour(run),
  {
    onChange: (state, hidden) => {
      runListState = state;
      curves.setHiddenRuns(hidden);
      saveState();
    },
    onHover: (runId) => {
      curves.highlight(runId);
      runList.setHighlighted(runId);
    },
  },
);
const diagnostics = new DiagnosticCharts(theme, document.getElementById('diag-run-a') as HTMLSelectElement, document.getElementById('diag-run-b') as HTMLSelectElement, (picked) => {
  runTable.setPicked(picked ?? []);
  saveSelection(picked);
});
const saver = new ChartSaver(curves, () => theme, post, document.getElementById('curves-notice'));
const curveControls = bindCurveControls(
  curves,
  curveView,
  (options) => {
    curveView = options;
    saveState();
  },
  (metric, format) => saver.save(metric, format),
);
const curveGrouping = bindCurveGrouping(curves, grouping, (next, recoloured) => {
  grouping = next;
  if (recoloured) runList.recolour();
  runTable.setBaseline(next.baseline);
  saveState();
});
const sweeps = new SweepCharts(theme, document.getElementById('sweep-charts')!, saver, (loss) => curves.colour(loss));
const sweepGrids = new SweepGridView(document.getElementById('sweep-grid')!, () => theme, saver);
// The Tuning section's saves answer in its own notice, numbered apart from the curves'.
const tuningSaver = new ChartSaver(curves, () => theme, post, document.getElementById('tuning-notice'), 2_000_000);
const tuning = new TuningCharts(theme, document.getElementById('tuning-studies')!, (chart, describe, file, format) => tuningSaver.saveChart(describedSavable(chart, describe, file), format));
const status = new RunStatusView();
const table = new ComparisonTableView(post);
const runTable = new RunTableView(runTableState, {
  onPick(runId, asSecond) {
    // A click replaces the first run of the figures, Shift+click the one it is compared with.
    const [first, second] = diagnostics.selection ?? [];
    const other = asSecond ? first : second;
    const next = other === undefined || other === runId ? [runId] : asSecond ? [other, runId] : [runId, other];
    pickForFigures(next);
  },
  onState(state) {
    runTableState = state;
    saveState();
  },
  onBaseline: (runId) => curveGrouping.setBaseline(runId),
});
const compare = new ConfigDiffView(() => focusRuns([]));

function pickForFigures(runIds: string[]): void {
  diagnostics.select(runIds);
  runTable.setPicked(diagnostics.selection ?? []);
  saveSelection(diagnostics.selection);
}

/** Compare Runs: these runs' curves together and their config diff; none shows every run again. */
function focusRuns(runIds: string[]): void {
  focused = runIds;
  curves.focusRuns(runIds);
  runList.setFocus(runIds);
  compare.show(runIds);
  runTable.setFocus(runIds);
  saveState();
}

const TABLE_LEGEND = document.getElementById('table-legend')!.textContent ?? '';
const COMBINED_LEGEND =
  'A row per experiment and setting. Each Δ is against the baseline of its own experiment; runs of different experiments are not paired, so no cell is marked best across them. †: includes unfinished runs (accuracy at their last finished epoch).';

function showWarnings(list: readonly string[]): void {
  const warnings = document.getElementById('warnings')!;
  warnings.hidden = list.length === 0;
  warnings.textContent = list.join('\n');
}

/** Several experiments: their rows are not paired by seed, so nothing is compared across them (README). A search: the table holds its final stage only, scored on test. */
function showTableLegend(search: boolean): void {
  document.getElementById('table-legend')!.textContent = experimentDirs ? COMBINED_LEGEND : search ? `${FINAL_TABLE_NOTE} ${TABLE_LEGEND}` : TABLE_LEGEND;
}

function showExperiment(msg: Extract<ToWebview, { type: 'init' }>): void {
  curves.batch(() => showSnapshot(msg.snapshot));
}

function showSnapshot(snapshot: ExperimentSnapshot): void {
  const previous = parseWebviewState(vscode.getState());
  const sameView = previous?.experimentDir === snapshot.dir && (previous.experimentDirs ?? []).join('\n') === (snapshot.dirs ?? []).join('\n');
  const restoredSelection = sameView ? previous?.selection : undefined;
  // Another experiment: its runs have other ids, and the old scroll position means nothing there.
  const switched = !sameView && experimentDir !== undefined;
  if (switched) {
    runListState = { unticked: [], filter: runListState.filter };
    scrollY = 0;
  }
  experimentDir = snapshot.dir;
  experimentDirs = snapshot.dirs && snapshot.dirs.length > 1 ? snapshot.dirs : undefined;
  const known = new Set(snapshot.runs.map((r) => r.runId));
  focused = sameView ? focused.filter((id) => known.has(id)) : [];
  document.getElementById('experiment-name')!.textContent = snapshot.name;
  document.getElementById('experiment-description')!.textContent = snapshot.description ?? '';
  showWarnings(snapshot.warnings);
  status.reset(snapshot.runs);
  curves.reset(snapshot.runs);
  curveGrouping.reset(snapshot.runs);
  runList.reset(snapshot.runs, switched ? runListState : undefined);
  curves.setHiddenRuns(runList.hidden);
  curveControls.showXAxisNote();
  diagnostics.reset(snapshot.runs, restoredSelection);
  sweeps.reset(snapshot.runs);
  sweepGrids.reset(snapshot.runs);
  tuning.reset(snapshot.search, snapshot.runs);
  table.render(snapshot.table);
  showTableLegend(snapshot.search !== undefined);
  runTable.reset(snapshot.runs);
  runTable.setPicked(diagnostics.selection ?? []);
  runTable.setBaseline(curveGrouping.baseline);
  compare.reset(snapshot.runs);
  selection = diagnostics.selection;
  focusRuns(focused);
  restoreScroll();
}

/** Back where someone left the panel, once the page is laid out (the charts' boxes have their heights). */
function restoreScroll(): void {
  const target = scrollY;
  if (target <= 0) return;
  requestAnimationFrame(() => window.scrollTo(0, target));
}

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('scroll', () => {
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => {
    scrollY = Math.round(window.scrollY);
    saveState();
  }, 200);
});

function handle(msg: ToWebview): void {
  switch (msg.type) {
    case 'init':
      showExperiment(msg);
      return;
    case 'runState': {
      const { type: _type, ...view } = msg;
      status.update(view);
      curves.ensureRun(view);
      runList.ensureRun(view);
      diagnostics.setRun(view);
      sweeps.update(view);
      sweepGrids.update(view);
      curveGrouping.update(view);
      runTable.update(view);
      compare.update(view);
      return;
    }
    case 'epoch':
      if (!curves.addEpoch(msg.runId, msg.metrics)) log('warn', `epoch for unknown run ${msg.runId}`);
      tuning.addEpoch(msg.runId, msg.metrics);
      return;
    case 'step':
      if (!curves.addStep(msg.runId, msg.point)) log('warn', `step for unknown run ${msg.runId}`);
      return;
    case 'diagnostics':
      diagnostics.setDiagnostics(msg.runId, msg.logits, msg.weightNorms);
      return;
    case 'table':
      table.render(msg.table);
      return;
    case 'search':
      tuning.setSearch(msg.search);
      showTableLegend(msg.search !== undefined);
      return;
    case 'warnings':
      showWarnings(msg.warnings);
      return;
    case 'select':
      pickForFigures(msg.runIds);
      return;
    case 'focus':
      focusRuns(msg.runIds);
      return;
    case 'steps':
      curves.receiveSteps(msg.requestId, msg.runs);
      return;
    case 'drawReport': {
      const { requestId } = msg;
      void drawReportFigures(msg.html, (capture) => post({ type: 'reportCapture', requestId, capture }));
      return;
    }
    case 'notice':
      if (!saver.handleNotice(msg.requestId, msg.ok, msg.message) && !tuningSaver.handleNotice(msg.requestId, msg.ok, msg.message)) table.showNotice(msg.ok, msg.message);
      return;
    default:
      unexpected(msg);
  }
}

function unexpected(msg: never): void {
  log('warn', `unhandled message ${JSON.stringify(msg).slice(0, 200)}`);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseToWebview(event.data);
  if (msg) handle(msg);
  else log('warn', `ignored an unexpected message: ${JSON.stringify(event.data)?.slice(0, 200)}`);
});

onThemeChange(() => {
  theme = readTheme();
  curves.setTheme(theme);
  runList.recolour();
  diagnostics.setTheme(theme);
  sweeps.setTheme(theme);
  sweepGrids.draw(true);
  tuning.setTheme(theme);
});

post({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
