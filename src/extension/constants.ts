/** Identifiers shared with package.json's `contributes`; keep the two in step. */

export enum Command {
  RunExperiment = 'lossLab.runExperiment',
  StopExperiment = 'lossLab.stopExperiment',
  OpenResults = 'lossLab.openResults',
  NewExperiment = 'lossLab.newExperiment',
  CompareRuns = 'lossLab.compareRuns',
  CompareExperiments = 'lossLab.compareExperiments',
  ExportTable = 'lossLab.exportTable',
  ExportReport = 'lossLab.exportReport',
  OpenReport = 'lossLab.openReport',
  OpenTensorboard = 'lossLab.openTensorboard',
  OpenRun = 'lossLab.openRun',
  StopRun = 'lossLab.stopRun',
  ResumeRun = 'lossLab.resumeRun',
  StartOver = 'lossLab.startOver',
  DeleteRun = 'lossLab.deleteRun',
  Refresh = 'lossLab.refresh',
  BuildNativeEngine = 'lossLab.buildNativeEngine',
  NewLoss = 'lossLab.newLoss',
  CheckLoss = 'lossLab.checkLoss',
}

export const RESULTS_VIEW_TYPE = 'lossLab.results';
/** Open Report's webview (restored after a reload). */
export const REPORT_VIEW_TYPE = 'lossLab.report';
/** Set once a results panel has shown: the walkthrough's "Compare the losses" step completes on it. */
export const RESULTS_SHOWN_CONTEXT = 'lossLab.resultsShown';
export const EXPERIMENTS_VIEW = 'lossLab.experiments';
export const CONFIG_GLOB = '**/*.losslab.json';
export const CONFIG_SUFFIX = '.losslab.json';
export const SETTINGS_SECTION = 'lossLab';
