/** Every string the extension shows to a person, in one place. */
import { percent, plural } from '../core/util/format';
import { recordTitle, type RunRecord } from '../core/results/runReader';

/** A run as notices name it: by its title (runTitle.ts), the folder name only where it has no config. */
type NamedRun = Pick<RunRecord, 'runId' | 'spec'>;

export const Strings = {
  outputChannel: 'Loss Lab',
  panelTitle: 'Loss Lab Results',
  /** A panel per experiment: its tab names what it shows. */
  panelTitleOf: (names: readonly string[]) => `Results: ${names.join(' · ')}`,
  showLog: 'Show Log',
  openResults: 'Open Results',
  manageTrust: 'Manage Workspace Trust',

  untrusted:
    'Loss Lab cannot start training in an untrusted workspace: a run executes the worker and reads the files this workspace names. Trust the workspace to run experiments; past results can still be opened.',

  noWorkspace: 'Loss Lab: open a folder first; experiments and their results live in the workspace.',
  newLossWritten: (module: string, config: string) => `Loss Lab: wrote ${module} (a documented focal loss to adapt) and ${config}, which trains it next to CE: run that config to compare them.`,
  openConfig: 'Open Config',
  noConfigs: "Loss Lab: no *.losslab.json config in this workspace. Create one with 'Loss Lab: New Experiment'.",
  pickConfig: 'Experiment config to run',
  notAConfig: (file: string) => `Loss Lab: ${file} is not an experiment config (*.losslab.json).`,
  configProblems: (file: string, n: number) => `Loss Lab: ${file} has ${plural(n, 'problem')}; they are listed in the Problems panel. Fix them and run again.`,
  configUnreadable: (file: string, reason: string) => `Loss Lab: cannot read ${file}: ${reason}`,
  alreadyRunning: (name: string) => `Loss Lab: experiment '${name}' is already running. Stop it first, or wait for it to finish.`,
  staleQuestion: (n: number, name: string, changes: string) => `Loss Lab: ${plural(n, 'run')} of '${name}' ${n === 1 ? 'was' : 'were'} trained with another config (${changes}).`,
  staleDetail: (cannotExtend?: string) =>
    (cannotExtend ? `They cannot be extended: ${cannotExtend}. ` : 'Extend trains them on from their last finished epoch. ') +
    'Retrain deletes their results and trains them from scratch. Keep leaves them as they are, marked stale.',
  extend: 'Extend',
  retrain: 'Retrain',
  keep: 'Keep',
  cannotExtend: (run: NamedRun, why: string) => `Loss Lab: run ${recordTitle(run)} cannot be extended: ${why}. Retrain it instead.`,
  keptDone: (n: number) => `Loss Lab: kept ${plural(n, 'run')} that had already finished. Use 'Start Over' on a run in the Loss Lab view to train it again.`,
  keptStale: (n: number, stale: number) =>
    `Loss Lab: kept ${plural(n, 'run')} that had already finished, ${stale} of them trained with another config. To give them the change, run the experiment again and choose Extend (more epochs) or Retrain.`,

  progressTitle: (name: string) => `Loss Lab: ${name}`,
  progressMessage: (runCounts: string, detail: string) => `${runCounts}${detail ? ` · ${detail}` : ''}`,
  progressDetail: (run: string, epoch: number, epochs: number, imagesPerSec: number) => `${run} epoch ${epoch}/${epochs}${imagesPerSec > 0 ? ` · ${Math.round(imagesPerSec)} img/s` : ''}`,
  statusBar: (done: number, total: number, percent: number) => `$(beaker) Loss Lab ${done}/${total} done · ${percent}%`,
  statusBarTooltip: (names: string[]) => `Loss Lab is running ${names.join(', ')}. Click to open the results.`,

  runFailed: (run: string, reason: string) => `Loss Lab: run ${run} failed: ${reason}`,
  failureHint: (category: string) => FAILURE_HINTS[category] ?? 'Finished epochs are kept; see the log, then use Resume Run on the run.',
  nothingRunning: 'Loss Lab: nothing is running.',
  runNotActive: (run: NamedRun) => `Loss Lab: run ${recordTitle(run)} is not running.`,

  pickExperiment: 'Experiment to open',
  browse: '$(folder-opened) Browse…',
  browseDetail: 'Open any experiment folder, including one the losslab CLI wrote',
  noExperiments: 'Loss Lab: no experiment results yet. Run an experiment, or browse to a folder the CLI wrote.',
  tensorboardMissing: (install: string) => `Loss Lab: TensorBoard is not installed: run '${install}' (or install the Python extension), then Open in TensorBoard again.`,
  tensorboardViaPython: (dir: string) => `Loss Lab: no tensorboard on PATH; the Python extension starts it. Choose ${dir} as its log folder.`,
  tensorboardStarting: (name: string) => `Loss Lab: starting TensorBoard on ${name}`,
  tensorboardServing: (dir: string, url: string) => `TensorBoard serves ${dir} at ${url}`,
  notAnExperiment: (dir: string) => `Loss Lab: ${dir} holds no Loss Lab runs (no run folders with status.json, metrics.jsonl or config.json).`,
  selectFolder: 'Open Experiment',

  pickFormat: 'Table format',
  formats: { csv: 'CSV', md: 'Markdown', latex: 'LaTeX' } as Record<string, string>,
  exported: (file: string) => `Loss Lab: table saved to ${file}`,
  copied: (format: string) => `Copied the table as ${format}.`,
  emptyTable: 'Loss Lab: the table is empty: no run has finished an epoch yet.',
  saveCancelled: 'Export cancelled.',
  chartSaved: (file: string) => `Chart saved to ${file}`,
  chartFormats: { png: 'PNG image', svg: 'SVG image', csv: 'CSV data', json: 'JSON data' } as Record<string, string>,

  reportProgress: (name: string) => `Loss Lab: writing the report of '${name}'`,
  reportPngs: 'drawing the figures',
  reportFiguresTitle: 'Loss Lab: drawing report figures',
  reportFiguresInWebview: (n: number, where: 'panel' | 'webview', chromium?: string) =>
    `Report figures: ${plural(n, 'PNG')} drawn in ${where === 'panel' ? 'the results panel' : 'a webview'}${chromium ? ` (headless Chromium: ${chromium})` : ''}.`,
  reportPanelFailed: (reason: string) => `Report figures: the results panel could not draw them (${reason}); drawing them in a webview.`,
  panelClosedWhileDrawing: 'the results panel was closed before it finished',
  reportWebviewFailed: (reason: string, chromium?: string) =>
    `Loss Lab: the HTML report was written, but its PNG figures could not be drawn in a webview (${reason})${chromium ? `, nor in Chromium (${chromium})` : ''}.`,
  reportWritten: (file: string, pngs: number) => `Loss Lab: report saved to ${file}${pngs > 0 ? ` with ${plural(pngs, 'PNG figure')}` : ''}.`,
  reportNoPngs: (reason: string) =>
    `Loss Lab: the HTML report is complete, but no PNG figures were written: ${reason}. 'losslab report <experiment folder>' from a checkout with Chromium installed (apt-get install chromium) writes them too.`,
  reportPngFailed: (reason: string) => `Loss Lab: the HTML report was written, but its PNG figures failed: ${reason}`,
  openReport: 'Open Report',
  openInBrowser: 'Open in Browser',
  reportTitle: (experiment: string) => `Report: ${experiment}`,
  revealReport: 'Show Folder',

  pickPreset: 'Start from which protocol?',
  askName: 'Experiment name (also its file and results folder name)',
  badName: "Use letters, digits, '.', '_' and '-' only.",
  fileExists: (file: string) => `${file} already exists; choose another name.`,
  pickFolder: 'Workspace folder for the new config',

  pickRuns: 'Pick 2 to 4 runs to compare: their curves together, the config fields that differ side by side',
  tooManyRuns: 'Compare Runs compares at most 4 runs; unpick one before picking another.',
  compareRunCount: (n: number) => `Loss Lab: Compare Runs compares 2 to 4 runs; ${n === 0 ? 'none was' : n === 1 ? 'one was' : `${n} were`} picked.`,
  tooFewRunsToCompare: (n: number) => `Loss Lab: Compare Runs needs two runs with a finished epoch; ${n === 0 ? 'none has one' : 'only one has'} yet.`,
  unknownRuns: (ids: string[]) => `Loss Lab: Compare Runs: no run ${ids.join(', ')} in the experiments shown.`,
  pickExperiments: 'Pick two or more experiments to show in one panel and one table',
  tooFewExperiments: 'Loss Lab: Compare Experiments shows two or more experiments together; pick at least two.',

  confirmDelete: (run: string) => `Delete the run ${run} and all its results? This cannot be undone.`,
  deleteAction: 'Delete',
  cannotDeleteActive: (run: NamedRun) => `Loss Lab: run ${recordTitle(run)} is running; stop it before deleting it.`,
  cannotDeleteLocked: (run: NamedRun, holder: string) => `Loss Lab: run ${recordTitle(run)} is being trained by another process (${holder}); stop it before deleting it.`,
  cannotRerun: (run: NamedRun) => `Loss Lab: run ${recordTitle(run)} has no config.json to train it from.`,
  confirmStartOver: (run: string) => `Start the run ${run} over? Its results so far (finished epochs, checkpoint, summary) are deleted and it trains from epoch 1.`,
  startOverAction: 'Start Over',
  cannotResumeDone: (run: NamedRun) => `Loss Lab: run ${recordTitle(run)} is done; there is nothing to resume. Use Start Over to train it again from scratch.`,
  cannotResumeDamaged: (run: NamedRun) => `Loss Lab: run ${recordTitle(run)} cannot resume: its own files are damaged (see its reason). Use Start Over to train it from scratch.`,

  unexpected: (what: string, reason: string) => `Loss Lab: ${what} failed: ${reason}`,

  log: {
    searchStage: (stage: 'final' | 'done') => (stage === 'final' ? 'search: tuning ended; training the chosen configurations with each final seed' : 'search: done'),
    gridStart: (n: number, name: string, parallel: number, dir: string) => `Running ${n} run(s) of '${name}' (${parallel} at a time) → ${dir}`,
    backend: (runId: string, backend: string, detail: string) => `${runId}: backend ${backend}${detail ? ` (others not available: ${detail})` : ''}`,
    started: (runId: string, epochs: number, params: number, resumed: number) =>
      `${runId}: training ${epochs} epochs, ${params.toLocaleString('en-US')} trainable parameters${resumed > 0 ? `, resuming after epoch ${resumed}` : ''}`,
    epoch: (runId: string, epoch: number, epochs: number, testAcc: number, trainLoss: number, imagesPerSec: number) =>
      `${runId}: epoch ${epoch}/${epochs} test acc ${percent(testAcc)} train loss ${trainLoss.toFixed(4)} · ${Math.round(imagesPerSec)} img/s`,
    finished: (runId: string, acc: number, seconds: number) => `${runId}: done, final test accuracy ${percent(acc)} in ${seconds.toFixed(1)} s`,
    stopped: (runId: string) => `${runId}: stopped; finished epochs are kept`,
    failed: (runId: string, category: string, message: string) => `${runId}: FAILED (${category}): ${message}`,
    warn: (runId: string, message: string) => `${runId}: warning: ${message}`,
    info: (runId: string, message: string) => `${runId}: ${message}`,
    skipped: (runId: string) => `${runId}: already done; kept`,
    webview: (level: string, message: string) => `results panel ${level}: ${message}`,
    ignoredMessage: (from: string, raw: string) => `ignored an unexpected message from the ${from}: ${raw}`,
  },
};

const FAILURE_HINTS: Record<string, string> = {
  // Resume Run and Start Over reuse the run's own config.json, so they would diverge again.
  'non-finite-loss': 'After changing the config (a lower training.lr), run the experiment again and choose Retrain for the changed runs.',
  'out-of-memory': 'Try a smaller batchSize or model width, or fewer parallel runs, then Resume Run.',
  dataset: "Check the dataset's path in the config (its description lists where each dataset is looked for).",
  backend: "Choose another backend with the lossLab.defaultBackend setting or the config's backend field.",
  file: 'Free disk space, or fix the permissions of the file named, then Resume Run; finished epochs are kept.',
  crash: 'The worker process died; the log has its last output. Finished epochs are kept: Resume Run continues from the last.',
  killed: 'The worker process was killed by a signal. Finished epochs are kept: Resume Run continues from the last.',
  damaged: "The run's own files cannot be used (the message names them); Start Over trains it from scratch.",
  config: 'Fix the config or its loss module where the message says, then run the experiment again.',
  'config-changed': 'The run folder holds results of a different config; Start Over trains it from scratch.',
  locked: 'Another process (named in the message) is training this run; its folder was left as it was. Wait for it to end, or stop it, then Resume Run.',
};
