/**
 * Which results panel shows a set of experiment folders: each set has its own panel, found again
 * when the same folders are opened; in `single` mode (lossLab.resultsPanels) the panel last shown
 * is switched to them instead. Free of the vscode module, so it is unit-tested.
 */
import * as path from 'node:path';
import type { PanelMode } from '../runOptions';

/** The same folders in any order and spelling name the same panel. */
const panelKey = (dirs: readonly string[]): string => JSON.stringify(dirs.map((d) => path.resolve(d)).sort());

export class PanelSet<P> {
  private readonly panels = new Map<P, string>();
  private last: P | undefined;

  /** The panel that shows `dirs`; else, in `single` mode, the last one shown; else none (make one). */
  find(dirs: readonly string[], mode: PanelMode): P | undefined {
    const key = panelKey(dirs);
    for (const [panel, k] of this.panels) if (k === key) return panel;
    return mode === 'single' ? this.last : undefined;
  }

  /** `panel` now shows `dirs`, and is the last one shown. */
  shows(panel: P, dirs: readonly string[]): void {
    this.panels.set(panel, panelKey(dirs));
    this.last = panel;
  }

  remove(panel: P): void {
    this.panels.delete(panel);
    if (this.last === panel) this.last = [...this.panels.keys()].at(-1);
  }

  /** The panel last shown; commands that act on "the panel" use the focused one first. */
  get lastShown(): P | undefined {
    return this.last;
  }

  get all(): P[] {
    return [...this.panels.keys()];
  }
}
