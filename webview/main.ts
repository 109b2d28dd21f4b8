/**
 * The results panel's script. It says `ready`, receives the experiment in `init`, then
 * applies each incremental message to the charts, the table and the run list.
 */
import { parseToWebview, parseWebviewState, WEBVIEW_PROTOCOL_VERSION, type FromWebview, type ToWebview } from '../src/protocol/webview';
import { bindCurveControls } from './curveControls';
import { CurveCharts, type CurveViewOptions } from './curves';
import { DiagnosticCharts } from './diagnostics';
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
// Smoothing and log/linear axes as someone left them, across reloads and window restarts.
let curveView: CurveViewOptions = { smoothing: restored?.smoothing ?? 0, logAxes: restored?.logAxes ?? {} };
const saveState = (selection: string[] | undefined) =>
  experimentDir &&
  vscode.setState({ experimentDir, ...(selection ? { selection } : {}), smoothing: curveView.smoothing ?? 0, logAxes: { ...curveView.logAxes } as Record<string, boolean> });

const theme = readTheme();
const curves = new CurveCharts(theme, undefined, curveView);
const diagnostics = new DiagnosticCharts(
  theme,
  document.getElementById('diag-run-a') as HTMLSelectElement,
  document.getElementById('diag-run-b') as HTMLSelectElement,
  saveState,
);
bindCurveControls(curves, curveView, (options) => {
  curveView = options;
  saveState(diagnostics.selection);
});
const sweeps = new SweepCharts(theme, document.getElementById('sweep-charts')!);
const status = new RunStatusView();
const table = new ComparisonTableView(post);

function showExperiment(msg: Extract<ToWebview, { type: 'init' }>): void {
  const { snapshot } = msg;
  const previous = vscode.getState();
  const selection = previous?.experimentDir === snapshot.dir ? previous.selection : undefined;
  experimentDir = snapshot.dir;
  document.getElementById('experiment-name')!.textContent = snapshot.name;
  document.getElementById('experiment-description')!.textContent = snapshot.description ?? '';
  const warnings = document.getElementById('warnings')!;
  warnings.hidden = snapshot.warnings.length === 0;
  warnings.textContent = snapshot.warnings.join('\n');
  status.reset(snapshot.runs);
  curves.reset(snapshot.runs);
  diagnostics.reset(snapshot.runs, selection);
  sweeps.reset(snapshot.runs);
  table.render(snapshot.table);
  saveState(diagnostics.selection);
}

function handle(msg: ToWebview): void {
  switch (msg.type) {
    case 'init':
      showExperiment(msg);
      return;
    case 'runState': {
      const { type: _type, ...view } = msg;
      status.update(view);
      curves.ensureRun(view);
      diagnostics.setRun(view);
      sweeps.update(view);
      return;
    }
    case 'epoch':
      if (!curves.addEpoch(msg.runId, msg.metrics)) log('warn', `epoch for unknown run ${msg.runId}`);
      return;
    case 'step':
      // Drawn by the step-level curves (issue 17); ignored until then.
      return;
    case 'diagnostics':
      diagnostics.setDiagnostics(msg.runId, msg.logits, msg.weightNorms);
      return;
    case 'table':
      table.render(msg.table);
      return;
    case 'select':
      diagnostics.select(msg.runIds);
      saveState(diagnostics.selection);
      return;
    case 'notice':
      table.showNotice(msg.ok, msg.message);
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
  const next = readTheme();
  curves.setTheme(next);
  diagnostics.setTheme(next);
  sweeps.setTheme(next);
});

post({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
