/**
 * The results panel's script. It says `ready`, receives the experiment in `init`, then
 * applies each incremental message to the charts, the table and the run list.
 */
import { parseToWebview, parseWebviewState, WEBVIEW_PROTOCOL_VERSION, type FromWebview, type ToWebview } from '../src/protocol/webview';
import { ChartSaver } from './chartExport';
import { zoomInteractions } from './chartZoom';
import { bindCurveControls } from './curveControls';
import { CurveCharts, type CurveViewOptions } from './curves';
import { DiagnosticCharts } from './diagnostics';
import { RunListView, type RunListState } from './runList';
import { RunStatusView } from './status';
import { SweepCharts } from './sweepCharts';
import { ComparisonTableView } from './table';
import { onThemeChange, readTheme } from './theme';
import { vscode } from './vscodeApi';

const post = (msg: FromWebview) => vscode.postMessage(msg);
const log = (level: 'info' | 'warn' | 'error', message: string) => post({ type: 'log', level, message });

window.addEventListener('error', (e) => log('error', `${e.message} (${e.filename}:${e.lineno})`));
window.addEventListener('unhandledrejection', (e) => log('error', String(e.reason)));

const restored = parseWebviewState(vscode.getState());
let experimentDir = restored?.experimentDir;
// Smoothing, axes, hidden runs and scroll as someone left them, across reloads and window restarts.
let curveView: CurveViewOptions = { smoothing: restored?.smoothing ?? 0, logAxes: restored?.logAxes ?? {}, xAxis: restored?.xAxis ?? 'epoch' };
let runListState: RunListState = { unticked: restored?.hiddenRuns ?? [], filter: restored?.runFilter ?? '' };
let scrollY = restored?.scrollY ?? 0;
let selection: string[] | undefined;
const saveState = () => {
  if (!experimentDir) return;
  vscode.setState({
    experimentDir,
    ...(selection ? { selection } : {}),
    smoothing: curveView.smoothing ?? 0,
    logAxes: { ...curveView.logAxes } as Record<string, boolean>,
    xAxis: curveView.xAxis ?? 'epoch',
    hiddenRuns: runListState.unticked,
    runFilter: runListState.filter,
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
  }),
);
// The charts' listeners run only on hover and legend clicks, after the list exists.
const runList: RunListView = new RunListView(
  document.getElementById('run-list')!,
  document.getElementById('run-filter') as HTMLInputElement,
  document.getElementById('run-count'),
  runListState,
  (loss) => curves.colour(loss),
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
const diagnostics = new DiagnosticCharts(
  theme,
  document.getElementById('diag-run-a') as HTMLSelectElement,
  document.getElementById('diag-run-b') as HTMLSelectElement,
  saveSelection,
);
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
const sweeps = new SweepCharts(theme, document.getElementById('sweep-charts')!);
const status = new RunStatusView();
const table = new ComparisonTableView(post);

function showExperiment(msg: Extract<ToWebview, { type: 'init' }>): void {
  const { snapshot } = msg;
  const previous = vscode.getState();
  const sameExperiment = previous?.experimentDir === snapshot.dir;
  const restoredSelection = sameExperiment ? previous.selection : undefined;
  // Another experiment: its runs have other ids, and the old scroll position means nothing there.
  const switched = !sameExperiment && experimentDir !== undefined;
  if (switched) {
    runListState = { unticked: [], filter: runListState.filter };
    scrollY = 0;
  }
  experimentDir = snapshot.dir;
  document.getElementById('experiment-name')!.textContent = snapshot.name;
  document.getElementById('experiment-description')!.textContent = snapshot.description ?? '';
  const warnings = document.getElementById('warnings')!;
  warnings.hidden = snapshot.warnings.length === 0;
  warnings.textContent = snapshot.warnings.join('\n');
  status.reset(snapshot.runs);
  curves.reset(snapshot.runs);
  runList.reset(snapshot.runs, switched ? runListState : undefined);
  curves.setHiddenRuns(runList.hidden);
  curveControls.showXAxisNote();
  diagnostics.reset(snapshot.runs, restoredSelection);
  sweeps.reset(snapshot.runs);
  table.render(snapshot.table);
  selection = diagnostics.selection;
  saveState();
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
      return;
    }
    case 'epoch':
      if (!curves.addEpoch(msg.runId, msg.metrics)) log('warn', `epoch for unknown run ${msg.runId}`);
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
    case 'select':
      diagnostics.select(msg.runIds);
      saveSelection(diagnostics.selection);
      return;
    case 'notice':
      if (!saver.handleNotice(msg.requestId, msg.ok, msg.message)) table.showNotice(msg.ok, msg.message);
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
});

post({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
