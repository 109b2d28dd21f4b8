/**
 * Grid progress in the status bar: the item with the runs' count, and the window's progress with the
 * current run's epoch. Not a notification: one would sit over the results panel for the whole grid.
 * Stop Experiment (the tree, the panel) stops it.
 */
import * as vscode from 'vscode';
import { Command } from '../constants';
import { progressPercent, runCountText } from './gridProgress';
import type { GridResult, GridRunner } from './gridRunner';
import { Strings } from '../strings';

export class ProgressUi implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lossLab.progress', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly grids: GridRunner) {
    this.item.name = Strings.outputChannel;
    this.item.command = Command.OpenResults;
    this.disposables.push(
      grids.onDidProgress(() => this.updateStatusBar()),
      grids.onDidEndGrid(() => this.updateStatusBar()),
    );
  }

  /** The window's progress for one grid until `done` settles. */
  track(experimentDir: string, name: string, done: Promise<GridResult>): void {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: Strings.progressTitle(name) }, (progress) => {
      let reported = 0;
      const onProgress = this.grids.onDidProgress((p) => {
        if (p.experimentDir !== experimentDir) return;
        const percent = p.fraction * 100;
        progress.report({ increment: Math.max(0, percent - reported), message: Strings.progressMessage(runCountText(p.counts, p.total), p.detail) });
        reported = Math.max(reported, percent);
      });
      const cleanUp = (): void => {
        onProgress.dispose();
      };
      return done.then(cleanUp, cleanUp);
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private updateStatusBar(): void {
    const running = this.grids.runningExperiments.map((dir) => this.grids.progress(dir)).filter((p) => p !== undefined);
    if (running.length === 0) {
      this.item.hide();
      return;
    }
    const total = running.reduce((a, p) => a + p.total, 0);
    const done = running.reduce((a, p) => a + p.counts.done, 0);
    const fraction = total > 0 ? running.reduce((a, p) => a + p.fraction * p.total, 0) / total : 0;
    this.item.text = Strings.statusBar(done, total, progressPercent(fraction));
    this.item.tooltip = Strings.statusBarTooltip(running.map((p) => p.name));
    this.item.show();
  }
}
