/**
 * The sweep charts: final test accuracy against each swept field's value (core/results/sweepSeries.ts),
 * one line per setting with a mean ± std band over seeds, a loss without the field drawn flat and
 * dashed across the chart. One canvas per swept field, made in `container`; none without a sweep.
 * Shared by the results panel and the report.
 */
import Chart from 'chart.js/auto';
import type { ChartDataset } from 'chart.js';
import { sweepCharts, type SweepChart, type SweepLine } from '../src/core/results/sweepSeries';
import type { ChartSaver } from './chartExport';
import { applyDefaults, axis, baseOptions, groupLegend, markPoints } from './chartTheme';
import { describedSavable, exportButtons, figureFileName } from './figureExport';
import { describeSweep } from './sweepSvg';
import { colourIndex, MODEL_DASHES, type Point } from './series';
import { modelLegendItems } from './modelLegend';
import { settingColours, sweepLineColours, sweepLineDashes } from './sweepColours';
import { SweepRunsView } from './sweepRuns';
import { withAlpha, type Theme } from './theme';

type LineDataset = ChartDataset<'line', Point[]>;

const Y_TITLE = 'final test accuracy (%)';

/** The datasets of one line: the band's lower and upper edges (filled between), then the mean. */
/** `dash`: the line's model's (several models in the chart); without, a flat line is dashed and a swept one solid. */
export function lineDatasets(line: SweepLine, xs: readonly number[], colour: string, lineOf: WeakMap<object, string>, dash?: readonly number[]): LineDataset[] {
  const flat = line.reference;
  // A flat line spans the swept values; with one value only, a little either side of it (else it has no length).
  const pad = xs.length > 1 ? 0 : Math.abs(xs[0] ?? 0) * 0.05 || 0.05;
  const lo = (xs[0] ?? 0) - pad;
  const hi = (xs[xs.length - 1] ?? 0) + pad;
  const at = (f: (p: { mean: number; std: number }) => number): Point[] =>
    flat
      ? [
          { x: lo, y: f(flat) },
          { x: hi, y: f(flat) },
        ]
      : line.points.map((p) => ({ x: p.x, y: f(p) }));
  // A flat line's ± std as dotted edges, not a second translucent fill: over a swept band the two
  // fills mix, and the swept band's edge reads as spikes in the flat one.
  const band = flat
    ? { borderWidth: 1, borderDash: [2, 3], pointRadius: 0, backgroundColor: 'transparent', borderColor: withAlpha(colour, 0.6) }
    : { borderWidth: 0, pointRadius: 0, backgroundColor: withAlpha(colour, 0.15), borderColor: 'transparent' };
  const sets: LineDataset[] = [
    { ...band, label: `${line.label} mean − std`, data: at((p) => p.mean - p.std), fill: false },
    { ...band, label: `${line.label} mean + std`, data: at((p) => p.mean + p.std), fill: flat ? false : '-1' },
    {
      label: line.label,
      data: at((p) => p.mean),
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2,
      pointRadius: flat ? 0 : 3,
      borderDash: dash ? [...dash] : flat ? [6, 3] : [],
      fill: false,
    },
  ];
  for (const d of sets) lineOf.set(d, line.label);
  return sets;
}

interface Drawn {
  chart: Chart<'line', Point[]>;
  model: SweepChart;
  /** Dataset → line label, for the legend. */
  lineOf: WeakMap<object, string>;
  colours: Map<string, string>;
  /** Line label → its model's dash index; empty with one model. */
  dashes: Map<string, number>;
}

export class SweepCharts extends SweepRunsView {
  private readonly charts = new Map<string, Drawn>();
  private keys = '';

  /**
   * `target`: a container the charts' figures are made in (the panel), or each chart's canvas by key (the report's fixed figures).
   * `colourOf`: a loss setting's colour, the curves' own where they are drawn beside.
   */
  constructor(
    private theme: Theme,
    private readonly target: HTMLElement | ((key: string) => HTMLCanvasElement | undefined),
    /** The panel saves its sweep charts as the curves are saved; the report has no buttons. */
    private readonly saver?: ChartSaver,
    /** A loss setting's colour in the curves, so a sweep's lines match them; none in the report. */
    private readonly colourOf?: (lossLabel: string) => string,
  ) {
    super();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.keys = ''; // rebuild in the new colours
    this.draw();
  }

  /** The charts' data as last drawn, for tests and tools. */
  model(): SweepChart[] {
    return sweepCharts(this.inputs());
  }

  protected draw(): void {
    const model = this.model();
    // In the panel, the section around the charts shows only with a sweep (before drawing: a hidden box has no size).
    if (typeof this.target !== 'function') (this.target.closest('section') ?? this.target).hidden = model.length === 0;
    const keys = JSON.stringify(model.map((c) => [c.key, c.lines.map((l) => l.label)]));
    if (keys !== this.keys) this.rebuild(model, keys);
    else for (const c of model) this.fill(this.charts.get(c.key), c);
  }

  private rebuild(model: SweepChart[], keys: string): void {
    for (const c of this.charts.values()) c.chart.destroy();
    this.charts.clear();
    if (typeof this.target !== 'function') this.target.replaceChildren();
    this.keys = keys;
    applyDefaults(this.theme);
    for (const chart of model) {
      const canvas = typeof this.target === 'function' ? this.target(chart.key) : this.figureCanvas(this.target, chart);
      if (!canvas) continue;
      const lineOf = new WeakMap<object, string>();
      const colourOf = this.colourOf ?? settingColours([...this.views.values()], this.theme.palette);
      const colours = sweepLineColours(chart.lines, (runId) => this.views.get(runId)?.lossLabel, colourOf, this.theme.palette);
      // The curves' rule: each model's dash by its place among the runs' models.
      const modelDash = colourIndex([...this.views.values()].map((r) => r.modelLabel));
      const dashes = sweepLineDashes(
        chart.lines,
        (runId) => this.views.get(runId)?.modelLabel,
        (model) => modelDash.get(model) ?? 0,
      );
      const models = dashes.size > 0 ? [...modelDash.keys()] : [];
      const legend = groupLegend(lineOf, (label) => colours.get(label) ?? this.theme.foreground, this.theme);
      const created = new Chart<'line', Point[]>(canvas, {
        type: 'line',
        data: { datasets: [] },
        options: {
          ...baseOptions<'line'>(),
          parsing: false,
          scales: { x: axis(this.theme, chart.xLabel), y: axis(this.theme, Y_TITLE) },
          plugins: {
            // After the lines' colours, which dash is which model.
            legend: {
              ...legend,
              labels: { ...legend.labels, generateLabels: (c: Chart) => [...legend.labels.generateLabels(c), ...modelLegendItems(models, (m) => modelDash.get(m) ?? 0, this.theme.foreground)] },
            },
            tooltip: { filter: (item) => !String(item.dataset.label).includes(' mean ') },
          },
        },
      });
      const drawn: Drawn = { chart: created, model: chart, lineOf, colours, dashes };
      this.charts.set(chart.key, drawn);
      this.fill(drawn, chart);
    }
  }

  /** A captioned figure for one chart in the panel's container; its canvas. */
  private figureCanvas(container: HTMLElement, chart: SweepChart): HTMLCanvasElement {
    const figure = document.createElement('figure');
    figure.className = 'chart sweep-chart';
    figure.setAttribute('data-sweep', chart.key);
    const caption = document.createElement('figcaption');
    caption.textContent = chart.title;
    if (this.saver) {
      caption.append(
        exportButtons(this.saver, () => {
          const drawn = this.charts.get(chart.key)!;
          return describedSavable(
            drawn.chart,
            () => describeSweep({ chart: drawn.chart, title: drawn.model.title, xLabel: drawn.model.xLabel, yLabel: Y_TITLE, lineOf: drawn.lineOf, colours: drawn.colours }),
            figureFileName('sweep', chart.key),
          );
        }),
      );
    }
    const box = document.createElement('div');
    box.className = 'chart-box';
    const canvas = document.createElement('canvas');
    canvas.id = `sweep-${chart.key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    box.append(canvas);
    figure.append(caption, box);
    container.append(figure);
    return canvas;
  }

  private fill(drawn: Drawn | undefined, chart: SweepChart): void {
    if (!drawn) return;
    drawn.model = chart;
    const { chart: target, lineOf, colours, dashes } = drawn;
    const dashOf = (label: string) => (dashes.has(label) ? MODEL_DASHES[dashes.get(label)! % MODEL_DASHES.length] : undefined);
    target.data.datasets = chart.lines.flatMap((line) => lineDatasets(line, chart.xs, colours.get(line.label) ?? this.theme.foreground, lineOf, dashOf(line.label)));
    target.update('none');
    markPoints(target);
  }
}
