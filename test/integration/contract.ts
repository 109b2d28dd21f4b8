/**
 * What the extension promises its callers (and so these tests): command ids, the value
 * Run Experiment resolves with, and the API that activate() returns.
 */
export const EXTENSION_ID = 'loss-lab.loss-lab';

export const COMMANDS = [
  'lossLab.runExperiment',
  'lossLab.stopExperiment',
  'lossLab.openResults',
  'lossLab.newExperiment',
  'lossLab.compareRuns',
  'lossLab.compareExperiments',
  'lossLab.exportTable',
  'lossLab.exportReport',
  'lossLab.openReport',
  'lossLab.resumeRun',
  'lossLab.startOver',
] as const;

/** What lossLab.exportReport resolves with (the fields the tests read). */
export interface ExportedReport {
  htmlPath: string;
  pngs: { file: string; width: number; height: number }[];
  pngError?: string;
}

interface RunOutcomeView {
  state: string;
  category?: string;
  message?: string;
}

export interface RunResult {
  experimentDir: string;
  outcomes: Record<string, RunOutcomeView>;
}

export interface LossLabApi {
  runExperiment(configPath: string, opts?: unknown): Promise<RunResult | undefined>;
  stopAll(): unknown;
  resultsPanelState(): unknown;
}

/** resultsPanelState(): what the extension reports about its results panel. */
export interface ResultsPanelState {
  open: boolean;
  experimentDir?: string;
  /** Every folder shown: one, or those of Compare Experiments. */
  experimentDirs?: string[];
  ready: boolean;
  active?: boolean;
  runs: { runId: string; stateText: string }[];
  tableRows: number;
  /** Step-level points posted to the panel (in its init snapshot and step messages). */
  stepsPosted?: number;
  /** The runs Compare Runs asked the page to compare. */
  focus?: string[];
}
