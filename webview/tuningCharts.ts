/**
 * The Tuning section's charts (tuningModel.ts), one pair of kinds per study: each trial's validation
 * accuracy over epochs, and validation accuracy against each searched value. In the panel it makes
 * its figures in a container, with the chosen configuration, the budget and save buttons; in the
 * report it draws on the canvases the report's page already has (the text is the page's own).
 */
import Chart from 'chart.js/auto';
import type { ChartDataset, Scale } from 'chart.js';
import type { SearchRecord } from '../src/core/search/record';
import { TUNING_SPLIT_NOTE, sameBudgetText } from '../src/core/search/summary';
import type { EpochMetrics } from '../src/core/results/types';
import type { ChartImageFormat, RunSnapshot } from '../src/protocol/webview';
import { applyDefaults, axis, baseOptions, groupLegend, markPoints } from './chartTheme';
import type { SvgChart } from './chartSvg';
import { axisOf } from './curveSvg';
import type { Point } from './series';
import { withAlpha, type Theme } from './theme';
import { studyViews, type ParamScatter, type StudyView, type TrialEmphasis, type TrialLine } from './tuningModel';

const VAL_ACC = 'validation accuracy (%)';

/** Legend groups, one per emphasis. */
const GROUP: Record<TrialEmphasis, string> = { chosen: 'chosen trial', plain: 'trials', faint: 'pruned or failed' };

/** Where the report draws: the canvas of a study's curves (no field) or of one searched field. */
export type TuningCanvases = (study: string, field?: string) => HTMLCanvasElement | undefined;

/** Saves one chart (the panel's ChartSaver): its file name, and how to describe it as SVG. */
export type SaveTuningChart = (chart: Chart, describe: () => Omit<SvgChart, 'colours' | 'font'>, file: string, format: ChartImageFormat) => void;

/** A name for files and element ids: "simple-cnn-w1__ce" and "loss.m" → "simple-cnn-w1-ce-loss-m". */
const safe = (...parts: string[]) =>
  parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'chart';

/** A dataset's colour as set here: always a string (the type allows gradients and callbacks). */
const colourOf = (c: unknown): string => (typeof c === 'string' ? c : '');

interface Drawn {
  chart: Chart;
  describe: () => Omit<SvgChart, 'colours' | 'font'>;
}

export class TuningCharts {
  private search: SearchRecord | undefined;
  private readonly metrics = new Map<string, EpochMetrics[]>();
  private readonly drawn: Chart[] = [];
  /** Drawn charts by file name, for the save buttons. */
  private readonly byFile = new Map<string, Drawn>();

  constructor(
    private theme: Theme,
    private readonly target: HTMLElement | TuningCanvases,
    private readonly save?: SaveTuningChart,
  ) {}

  reset(search: SearchRecord | undefined, runs: readonly RunSnapshot[]): void {
    this.metrics.clear();
    for (const r of runs) this.metrics.set(r.runId, [...r.metrics]);
    this.search = search;
    this.draw();
  }

  setSearch(search: SearchRecord | undefined): void {
    this.search = search;
    this.draw();
  }

  /** A new epoch of a run: redrawn when the run is one of the trials. */
  addEpoch(runId: string, metrics: EpochMetrics): void {
    const list = this.metrics.get(runId) ?? [];
    this.metrics.set(runId, [...list.filter((m) => m.epoch < metrics.epoch), metrics]);
    if (this.search?.studies.some((s) => s.trials.some((t) => t.runId === runId))) this.draw();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.draw();
  }

  /** What is drawn, for tests and tools. */
  model(): StudyView[] {
    return this.search ? studyViews(this.search, (id) => this.metrics.get(id)) : [];
  }

  private draw(): void {
    for (const c of this.drawn.splice(0)) c.destroy();
    this.byFile.clear();
    const studies = this.model();
    const container = typeof this.target === 'function' ? undefined : this.target;
    if (container) {
      (container.closest('section') ?? container).hidden = !this.search;
      container.replaceChildren();
      if (this.search) container.append(this.note(`${sameBudgetText(this.search.budget)} ${TUNING_SPLIT_NOTE}`));
    }
    applyDefaults(this.theme);
    for (const study of studies) {
      const canvases = container ? this.studyFigures(container, study) : this.reportCanvases(study);
      if (canvases.curves) this.keep(this.curveChart(canvases.curves, study.lines), safe('tuning', study.key, 'curves'));
      study.scatters.forEach((scatter, i) => {
        const canvas = canvases.params[i];
        if (canvas) this.keep(this.scatterChart(canvas, scatter), safe('tuning', study.key, scatter.field));
      });
    }
  }

  private keep(drawn: Drawn, file: string): void {
    this.drawn.push(drawn.chart);
    this.byFile.set(file, drawn);
  }

  private reportCanvases(study: StudyView): { curves?: HTMLCanvasElement; params: (HTMLCanvasElement | undefined)[] } {
    const find = this.target as TuningCanvases;
    return { curves: find(study.key), params: study.scatters.map((s) => find(study.key, s.field)) };
  }

  private note(text: string, className = 'hint'): HTMLParagraphElement {
    const p = document.createElement('p');
    p.className = className;
    p.textContent = text;
    return p;
  }

  /** A study's heading, chosen configuration, budget and figures in the panel; their canvases. */
  private studyFigures(container: HTMLElement, study: StudyView): { curves: HTMLCanvasElement; params: HTMLCanvasElement[] } {
    const box = document.createElement('div');
    box.className = 'tuning-study';
    box.setAttribute('data-study', study.key);
    const heading = document.createElement('h3');
    heading.textContent = study.title;
    const chosen = this.note(study.chosen ? `Chosen: ${study.chosen}` : 'Nothing chosen yet: tuning goes on.', 'tuning-chosen');
    const budget = this.note(`Budget used: ${study.budget}`, 'tuning-budget');
    const grid = document.createElement('div');
    grid.className = 'grid';
    const curves = this.figure(grid, 'Validation accuracy of each trial over epochs', safe('tuning', study.key, 'curves'));
    const params = study.scatters.map((s) =>
      this.figure(grid, `Validation accuracy against ${s.field}${s.log ? ' (log scale)' : ''}, at the last rung each trial reached`, safe('tuning', study.key, s.field)),
    );
    box.append(heading, chosen, budget, grid);
    container.append(box);
    return { curves, params };
  }

  private figure(grid: HTMLElement, title: string, file: string): HTMLCanvasElement {
    const figure = document.createElement('figure');
    figure.className = 'chart tuning-chart';
    figure.setAttribute('data-chart', file);
    const caption = document.createElement('figcaption');
    caption.textContent = title;
    if (this.save) {
      const actions = document.createElement('span');
      actions.className = 'chart-actions';
      for (const format of ['png', 'svg'] as const) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'save-tuning-chart';
        button.dataset.format = format;
        button.textContent = format.toUpperCase();
        button.title = `Save this chart as ${format === 'png' ? 'a PNG image' : 'an SVG vector image'}`;
        button.addEventListener('click', () => {
          const drawn = this.byFile.get(file);
          if (drawn) this.save?.(drawn.chart, drawn.describe, file, format);
        });
        actions.append(button);
      }
      caption.append(' ', actions);
    }
    const box = document.createElement('div');
    box.className = 'chart-box';
    const canvas = document.createElement('canvas');
    canvas.id = `chart-${file}`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', title);
    box.append(canvas);
    figure.append(caption, box);
    grid.append(figure);
    return canvas;
  }

  private style(emphasis: TrialEmphasis): { colour: string; width: number; radius: number } {
    const [first, second] = this.theme.palette;
    if (emphasis === 'chosen') return { colour: second ?? first, width: 3, radius: 4 };
    if (emphasis === 'faint') return { colour: withAlpha(this.theme.muted, 0.3), width: 1, radius: 2 };
    return { colour: withAlpha(first, 0.75), width: 1.5, radius: 3 };
  }

  private legend(groupOf: WeakMap<object, string>) {
    const colourOf = (group: string) => {
      const emphasis = (Object.keys(GROUP) as TrialEmphasis[]).find((e) => GROUP[e] === group) ?? 'plain';
      return this.style(emphasis).colour;
    };
    return groupLegend(groupOf, colourOf, this.theme);
  }

  private curveChart(canvas: HTMLCanvasElement, lines: readonly TrialLine[]): Drawn {
    const groupOf = new WeakMap<object, string>();
    const datasets: ChartDataset<'line', Point[]>[] = lines.map((line) => {
      const { colour, width } = this.style(line.emphasis);
      const d: ChartDataset<'line', Point[]> = {
        label: line.label,
        data: line.points,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: width,
        pointRadius: line.points.length === 1 ? 3 : 0,
        fill: false,
      };
      groupOf.set(d, GROUP[line.emphasis]);
      return d;
    });
    const chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        ...baseOptions<'line'>(),
        parsing: false,
        scales: { x: axis(this.theme, 'epoch', 'linear', true), y: axis(this.theme, VAL_ACC) },
        plugins: { legend: this.legend(groupOf) },
      },
    });
    markPoints(chart);
    return { chart, describe: () => this.describe(chart, 'Validation accuracy of each trial over epochs', groupOf, false) };
  }

  private scatterChart(canvas: HTMLCanvasElement, scatter: ParamScatter): Drawn {
    const groupOf = new WeakMap<object, string>();
    const emphases: TrialEmphasis[] = ['faint', 'plain', 'chosen'];
    // A line chart without lines (Chart.js' scatter is just that), so it shares the curves' legend and options.
    const datasets: ChartDataset<'line', Point[]>[] = emphases.flatMap((emphasis) => {
      const points = scatter.points.filter((p) => p.emphasis === emphasis).map((p) => ({ x: p.x, y: p.y }));
      if (points.length === 0) return [];
      const { colour, radius } = this.style(emphasis);
      const d: ChartDataset<'line', Point[]> = {
        label: GROUP[emphasis],
        data: points,
        showLine: false,
        borderColor: colour,
        backgroundColor: colour,
        pointRadius: emphasis === 'chosen' ? radius + 2 : radius,
      };
      groupOf.set(d, GROUP[emphasis]);
      return [d];
    });
    const categories = scatter.categories;
    const x = {
      ...axis(this.theme, scatter.field, scatter.log ? 'logarithmic' : 'linear'),
      ...(categories
        ? {
            min: -0.5,
            max: categories.length - 0.5,
            // One tick per category, at its index, named by it.
            afterBuildTicks: (scale: Scale) => {
              scale.ticks = categories.map((_c, value) => ({ value }));
            },
            ticks: { color: this.theme.foreground, callback: (v: number | string) => categories[Number(v)] ?? '' },
          }
        : {}),
    };
    const chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        ...baseOptions<'line'>(),
        parsing: false,
        interaction: { mode: 'nearest', intersect: true },
        scales: { x, y: { ...axis(this.theme, VAL_ACC), grace: '5%' } },
        plugins: { legend: this.legend(groupOf) },
      },
    });
    markPoints(chart);
    return { chart, describe: () => this.describe(chart, `Validation accuracy against ${scatter.field}`, groupOf, true) };
  }

  /** The chart as the SVG writer takes it: lines for the curves, markers alone for a scatter. */
  private describe(chart: Chart, title: string, groupOf: WeakMap<object, string>, markersOnly: boolean): Omit<SvgChart, 'colours' | 'font'> {
    const datasets = chart.data.datasets.filter((_d, i) => chart.isDatasetVisible(i)) as ChartDataset<'line', Point[]>[];
    const titleOf = (key: 'x' | 'y') => (chart.options.scales?.[key] as { title?: { text?: string } } | undefined)?.title?.text ?? '';
    const groups = [...new Set(datasets.map((d) => groupOf.get(d)).filter((g): g is string => g !== undefined))];
    return {
      title,
      width: chart.width,
      height: chart.height,
      area: { ...chart.chartArea },
      x: axisOf(chart.scales.x, titleOf('x')),
      y: axisOf(chart.scales.y, titleOf('y')),
      series: datasets.map((d) => ({
        label: d.label ?? '',
        colour: colourOf(markersOnly ? d.backgroundColor : d.borderColor),
        width: markersOnly ? 0 : Number(d.borderWidth ?? 1),
        dash: [],
        pointRadius: typeof d.pointRadius === 'number' ? d.pointRadius : 0,
        points: d.data,
      })),
      bands: [],
      legend: groups.map((label) => {
        const d = datasets.find((s) => groupOf.get(s) === label);
        return { label, colour: colourOf(d?.borderColor) || this.theme.foreground };
      }),
    };
  }
}
