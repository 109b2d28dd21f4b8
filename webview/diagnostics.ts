/**
 * The paper's Fig. 2 (distribution of the network's outputs: logits, or s·cos θ for a cosine head; for
 * scaled BN also after the BN) and
 * Fig. 3 (per-class weight norms of the last layer) for one run, or two side by side.
 */
import Chart from 'chart.js/auto';
import type { ChartDataset } from 'chart.js';
import type { LogitHistograms, WeightNorms } from '../src/core/results/types';
import type { RunSnapshot, RunView } from '../src/protocol/webview';
import { axis, baseOptions, markPoints } from './chartTheme';
import { defaultSelection, noDiagnosticsText, pickStyles } from './selection';
import { histogramPoints, type Point } from './series';
import { colourOrder, DEFAULT_COLOUR_BY } from './colourBy';
import { withAlpha, type Theme } from './theme';
import { panelRunTitle } from '../src/core/results/runTitle';

interface DiagRun {
  view: RunView;
  logits?: LogitHistograms;
  weightNorms?: WeightNorms;
}

const NONE = '';

/** The two canvases of the figures: the panel's by default; the report draws one pair per model. */
export interface DiagnosticCanvases {
  logits: HTMLCanvasElement;
  norms: HTMLCanvasElement;
  /** Shown instead of the figures while no run has a final model (the panel has one; the report draws only finished runs). */
  emptyNote?: HTMLElement | null;
}

const panelCanvases = (): DiagnosticCanvases => ({
  logits: document.getElementById('chart-logits') as HTMLCanvasElement,
  norms: document.getElementById('chart-weight-norms') as HTMLCanvasElement,
  emptyNote: document.getElementById('diag-empty'),
});

export class DiagnosticCharts {
  private readonly logits: Chart<'line', Point[]>;
  private readonly norms: Chart<'bar', number[]>;
  private readonly runs = new Map<string, DiagRun>();
  /** The user's (or Compare Runs') choice; undefined until there is one. */
  private chosen: string[] | undefined;
  private readonly emptyNote: HTMLElement | null;
  /** The figures' boxes, hidden while the empty note stands in for them. */
  private readonly figures: HTMLElement | null;

  constructor(
    private theme: Theme,
    private readonly selectA: HTMLSelectElement,
    private readonly selectB: HTMLSelectElement,
    private readonly onSelect: (selection: string[] | undefined) => void,
    canvases: DiagnosticCanvases = panelCanvases(),
  ) {
    this.emptyNote = canvases.emptyNote ?? null;
    this.figures = this.emptyNote ? canvases.logits.closest<HTMLElement>('.grid') : null;
    this.logits = new Chart(canvases.logits, {
      type: 'line',
      data: { datasets: [] },
      options: { ...baseOptions<'line'>(), scales: this.logitScales() },
    });
    this.norms = new Chart(canvases.norms, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: { ...baseOptions<'bar'>(), scales: this.normScales() },
    });
    const onChange = () => {
      const chosen = [this.selectA.value, this.selectB.value].filter((v) => v !== NONE);
      this.chosen = chosen.length > 0 ? chosen : undefined;
      this.render();
      this.onSelect(this.chosen);
    };
    selectA.addEventListener('change', onChange);
    selectB.addEventListener('change', onChange);
    this.render();
  }

  reset(runs: readonly RunSnapshot[], selection?: string[]): void {
    this.runs.clear();
    for (const r of runs) this.runs.set(r.runId, { view: r, logits: r.logits, weightNorms: r.weightNorms });
    const known = selection?.filter((id) => this.runs.has(id)) ?? [];
    this.chosen = known.length > 0 ? known : undefined;
    this.render();
  }

  setRun(view: RunView): void {
    const run = this.runs.get(view.runId);
    if (run) run.view = view;
    else this.runs.set(view.runId, { view });
    this.showEmptyNote();
  }

  setDiagnostics(runId: string, logits?: LogitHistograms, weightNorms?: WeightNorms): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.logits = logits ?? run.logits;
    run.weightNorms = weightNorms ?? run.weightNorms;
    this.render();
  }

  /** Shows these runs; an empty list goes back to the default choice. */
  select(runIds: string[]): void {
    this.chosen = runIds.length > 0 ? runIds.slice(0, 2) : undefined;
    this.render();
  }

  /** The runs someone chose (undefined while the default choice applies), to persist. */
  get selection(): string[] | undefined {
    return this.chosen;
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.logits.options.scales = this.logitScales();
    this.norms.options.scales = this.normScales();
    this.render();
  }

  private current(): string[] {
    return (
      this.chosen ??
      defaultSelection([...this.runs.values()].map((r) => ({ runId: r.view.runId, lossName: r.view.lossName, lossLabel: r.view.lossLabel, hasDiagnostics: Boolean(r.logits || r.weightNorms) })))
    );
  }

  private logitScales() {
    return { x: axis(this.theme, 'logit value'), y: axis(this.theme, 'count') };
  }

  private normScales() {
    return { x: axis(this.theme, 'class', 'category'), y: axis(this.theme, 'L2 norm of the class weight') };
  }

  private fillSelects(selected: string[]): void {
    const offered = [...this.runs.values()].filter((r) => r.logits || r.weightNorms || selected.includes(r.view.runId));
    const options = (withNone: boolean) => [
      ...(withNone || offered.length === 0 ? [new Option(offered.length === 0 ? '(no finished run yet)' : '(none)', NONE)] : []),
      ...offered.map((r) => new Option(panelRunTitle(r.view), r.view.runId)),
    ];
    this.selectA.replaceChildren(...options(false));
    this.selectB.replaceChildren(...options(true));
    this.selectA.value = selected[0] ?? NONE;
    this.selectB.value = selected[1] ?? NONE;
  }

  /** While no run has diagnostics, the boxes say when they will be drawn or what to do, instead of empty axes. */
  private showEmptyNote(): void {
    if (!this.emptyNote) return;
    const runs = [...this.runs.values()];
    const none = !runs.some((r) => r.logits || r.weightNorms);
    this.emptyNote.hidden = !none;
    this.emptyNote.textContent = none ? noDiagnosticsText(runs.map((r) => r.view.state)) : '';
    if (this.figures) this.figures.hidden = none;
  }

  private render(): void {
    const selected = this.current();
    this.fillSelects(selected);
    this.showEmptyNote();
    const picked = selected.map((id) => this.runs.get(id)).filter((r): r is DiagRun => r !== undefined);
    const palette = this.theme.palette;
    // Each run in its loss setting's colour, as in the training curves.
    const styles = pickStyles(
      picked.map((r) => r.view),
      colourOrder(
        [...this.runs.values()].map((r) => r.view),
        DEFAULT_COLOUR_BY,
      ),
    );
    const logitSets: ChartDataset<'line', Point[]>[] = [];
    const normSets: ChartDataset<'bar', number[]>[] = [];
    picked.forEach((run, i) => {
      const colour = palette[styles[i].colourIndex % palette.length];
      const dash = styles[i].dashed ? [2, 2] : [];
      const name = panelRunTitle(run.view);
      const step = { stepped: 'after' as const, pointRadius: 0, borderWidth: 1.5, borderColor: colour };
      if (run.logits) {
        logitSets.push({
          ...step,
          label: `${name}: ${run.view.outputsLabel ?? 'logits W·f + b'}`,
          data: histogramPoints(run.logits.before),
          borderDash: dash,
          fill: 'origin',
          backgroundColor: withAlpha(colour, 0.15),
        });
        if (run.logits.after) logitSets.push({ ...step, label: `${name}: after the scaled BN`, data: histogramPoints(run.logits.after), borderDash: [6, 3], fill: false });
      }
      if (run.weightNorms) normSets.push({ label: name, data: run.weightNorms.norms, backgroundColor: withAlpha(colour, styles[i].dashed ? 0.35 : 0.7), borderColor: colour, borderWidth: 1 });
    });
    const classes = Math.max(0, ...normSets.map((d) => d.data.length));
    this.logits.data.datasets = logitSets;
    this.norms.data.labels = Array.from({ length: classes }, (_, i) => String(i));
    this.norms.data.datasets = normSets;
    this.logits.update('none');
    this.norms.update('none');
    markPoints(this.logits);
    markPoints(this.norms);
  }
}
