/** Owns the single results panel: creates it, reuses it, revives it after a reload. */
import * as vscode from 'vscode';
import { type PanelDeps, ResultsPanel, type ResultsPanelState } from './resultsPanel';

export class PanelHost implements vscode.Disposable {
  private panel: ResultsPanel | undefined;

  constructor(private readonly deps: PanelDeps) {}

  get current(): ResultsPanel | undefined {
    return this.panel;
  }

  show(experimentDir: string, selection?: string[]): ResultsPanel {
    return this.showExperiments([experimentDir], selection);
  }

  /** One panel for several experiment folders (Compare Experiments), or one. */
  showExperiments(experimentDirs: string[], selection?: string[]): ResultsPanel {
    if (this.panel) {
      this.panel.show(experimentDirs, selection);
      return this.panel;
    }
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = this.adopt(ResultsPanel.create(this.deps, experimentDirs, column));
    if (selection) panel.select(selection);
    return panel;
  }

  revive(webviewPanel: vscode.WebviewPanel, experimentDirs: string[], selection?: string[]): void {
    if (this.panel) {
      // Only one results panel: a second restored one is closed.
      webviewPanel.dispose();
      return;
    }
    this.adopt(ResultsPanel.revive(webviewPanel, this.deps, experimentDirs, selection));
  }

  state(): ResultsPanelState | { open: false } {
    return this.panel ? this.panel.state() : { open: false };
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private adopt(panel: ResultsPanel): ResultsPanel {
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    return panel;
  }
}
