/** Owns the results panels: one per experiment (or set compared), found again when reopened, revived after a reload. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PanelSet } from './panelSet';
import { type PanelDeps, ResultsPanel, type ResultsPanelState } from './resultsPanel';
import { resultsPanelMode } from '../settings';

export class PanelHost implements vscode.Disposable {
  private readonly panels = new PanelSet<ResultsPanel>();

  constructor(private readonly deps: PanelDeps) {}

  /** The focused panel, else the one last shown. */
  get current(): ResultsPanel | undefined {
    return this.panels.all.find((p) => p.active) ?? this.panels.lastShown;
  }

  /** The panel on screen that shows this one experiment folder, if any. */
  inViewShowing(experimentDir: string): ResultsPanel | undefined {
    const dir = path.resolve(experimentDir);
    return this.panels.all.find((p) => p.inView && p.dirs.length === 1 && path.resolve(p.dir) === dir);
  }

  show(experimentDir: string, selection?: string[]): ResultsPanel {
    return this.showExperiments([experimentDir], selection);
  }

  /** The panel of these experiment folders (Compare Experiments: several), brought forward; a new one when none shows them. */
  showExperiments(experimentDirs: string[], selection?: string[]): ResultsPanel {
    const existing = this.panels.find(experimentDirs, resultsPanelMode());
    if (existing) {
      existing.show(experimentDirs, selection);
      this.panels.shows(existing, experimentDirs);
      return existing;
    }
    // The active column, full width: beside an editor the curves would open at half width.
    const panel = this.adopt(ResultsPanel.create(this.deps, experimentDirs, vscode.ViewColumn.Active), experimentDirs);
    if (selection) panel.select(selection);
    return panel;
  }

  revive(webviewPanel: vscode.WebviewPanel, experimentDirs: string[], selection?: string[]): void {
    if (this.panels.find(experimentDirs, 'perExperiment')) {
      webviewPanel.dispose(); // the same experiments restored twice: one panel is enough
      return;
    }
    this.adopt(ResultsPanel.revive(webviewPanel, this.deps, experimentDirs, selection), experimentDirs);
  }

  state(): ResultsPanelState | { open: false } {
    return this.current?.state() ?? { open: false };
  }

  dispose(): void {
    for (const panel of this.panels.all) panel.dispose();
  }

  private adopt(panel: ResultsPanel, experimentDirs: string[]): ResultsPanel {
    this.panels.shows(panel, experimentDirs);
    panel.onDidDispose(() => this.panels.remove(panel));
    return panel;
  }
}
