/**
 * The four training-curve charts. Each run is one line, coloured by its loss setting and
 * dashed by model; runs that differ only by seed share a mean ± std band. Epochs are
 * pushed into the existing datasets and drawn with update('none'): charts are never rebuilt.
 * With smoothing on, each run also gets its moving average, the recorded line drawn faint behind.
 */
import Chart from 'chart.js/auto';
import type { ChartDataset, Scale, Tick } from 'chart.js';
import { epochRange, epochTicks, logTickLabels } from './axes';
import type { EpochMetrics } from '../src/core/results/types';
import type { RunSnapshot, RunView } from '../src/protocol/webview';
import { applyDefaults, axis, baseOptions, groupLegend, markPoints } from './chartTheme';
import { bandOf, colourIndex, emaSmooth, groupKey, isLogScale, METRICS, metricValue, MODEL_DASHES, upsertPoint, type MetricKey, type Point } from './series';
import { withAlpha, type Theme } from './theme';

type LineDataset = ChartDataset<'line', Point[]>;
type LineChart = Chart<'line', Point[]>;

const CHARTS: Record<MetricKey, { canvas: string; y: string }> = {
  testAcc: { canvas: 'chart-test-acc', y: 'test accuracy (%)' },
  trainAcc: { canvas: 'chart-train-acc', y: 'train accuracy (%)' },
  trainLoss: { canvas: 'chart-train-loss', y: 'train loss' },
  testLoss: { canvas: 'chart-test-loss', y: 'test loss' },
};

interface RunEntry {
  view: RunView;
  group: string;
  /** The points as recorded; drawn faint behind `smooth` while smoothing is on. */
  lines: Record<MetricKey, LineDataset>;
  /** The moving average of `lines`; empty while smoothing is off. */
  smooth: Record<MetricKey, LineDataset>;
}

/** How someone set the charts up (kept in the webview state across reloads). */
export interface CurveViewOptions {
  /** EMA weight, 0 (off) to below 1. */
  smoothing?: number;
  /** Charts switched from their default y axis: true = log scale. */
  logAxes?: Partial<Record<MetricKey, boolean>>;
}

interface Group {
  lossLabel: string;
  runIds: string[];
  bands?: Record<MetricKey, { lower: LineDataset; upper: LineDataset }>;
}

export class CurveCharts {
  private readonly charts: Record<MetricKey, LineChart>;
  private readonly runs = new Map<string, RunEntry>();
  private readonly groups = new Map<string, Group>();
  /** Dataset → loss label, for the legend and for restyling. */
  private readonly lossOf = new WeakMap<object, string>();
  private readonly bandSets = new WeakSet<object>();
  private readonly rawSets = new WeakSet<object>();
  private smoothing: number;
  private readonly logAxes: Partial<Record<MetricKey, boolean>>;
  private lossColours = new Map<string, number>();
  private modelDashes = new Map<string, number>();
  /** The last epoch any run plans or has reached: the end of the epoch axis. */
  private lastEpoch = 1;

  /** `canvasOf` finds each metric's canvas: the panel's ids by default; the report draws one set per model. */
  constructor(
    private theme: Theme,
    private readonly canvasOf: (metric: MetricKey) => HTMLCanvasElement = (m) => document.getElementById(CHARTS[m].canvas) as HTMLCanvasElement,
    options: CurveViewOptions = {},
  ) {
    this.smoothing = options.smoothing ?? 0;
    this.logAxes = { ...options.logAxes };
    applyDefaults(theme);
    this.charts = Object.fromEntries(METRICS.map((m) => [m, this.createChart(m)])) as Record<MetricKey, LineChart>;
  }

  /** Replaces every series (a new experiment, or the host starting over). */
  reset(runs: readonly RunSnapshot[]): void {
    this.runs.clear();
    this.groups.clear();
    this.lossColours = colourIndex(runs.map((r) => r.lossLabel));
    this.modelDashes = colourIndex(runs.map((r) => r.modelLabel));
    this.lastEpoch = Math.max(1, ...runs.map((r) => Math.max(r.epochs, r.metrics.at(-1)?.epoch ?? 0)));
    for (const chart of Object.values(this.charts)) chart.data.datasets = [];
    for (const run of runs) {
      const entry = this.addRun(run);
      for (const m of METRICS) entry.lines[m].data = run.metrics.map((e) => ({ x: e.epoch, y: metricValue(e, m) }));
      this.refreshSmooth(entry);
    }
    for (const group of this.groups.values()) this.refreshBand(group);
    this.draw();
  }

  /** A run the charts have not seen yet gets its (empty) lines. */
  ensureRun(view: RunView): void {
    const entry = this.runs.get(view.runId);
    const longer = view.epochs > this.lastEpoch;
    this.lastEpoch = Math.max(this.lastEpoch, view.epochs);
    if (entry) {
      entry.view = view;
      if (longer) this.draw();
      return;
    }
    this.addRun(view);
    this.draw();
  }

  addEpoch(runId: string, metrics: EpochMetrics): boolean {
    const entry = this.runs.get(runId);
    if (!entry) return false;
    for (const m of METRICS) upsertPoint(entry.lines[m].data, { x: metrics.epoch, y: metricValue(metrics, m) });
    this.lastEpoch = Math.max(this.lastEpoch, metrics.epoch);
    this.refreshSmooth(entry);
    this.refreshBand(this.groups.get(entry.group)!);
    this.draw();
    return true;
  }

  /** Smooths every curve with this EMA weight (0: off); the recorded points stay visible, faint. */
  setSmoothing(weight: number): void {
    this.smoothing = Math.min(Math.max(weight, 0), 0.99);
    for (const entry of this.runs.values()) this.refreshSmooth(entry);
    this.draw();
  }

  /** Switches one chart's y axis between log and linear. */
  setLogScale(metric: MetricKey, log: boolean): void {
    this.logAxes[metric] = log;
    const chart = this.charts[metric];
    chart.options.scales = this.scales(metric);
    for (const group of this.groups.values()) this.refreshBand(group);
    this.draw();
  }

  isLog(metric: MetricKey): boolean {
    return this.logAxes[metric] ?? isLogScale(metric);
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    applyDefaults(theme);
    for (const [m, chart] of Object.entries(this.charts) as [MetricKey, LineChart][]) {
      chart.options.scales = this.scales(m);
      chart.options.plugins = { ...chart.options.plugins, legend: this.legend() };
      for (const d of chart.data.datasets) this.style(d);
    }
    this.draw();
  }

  private createChart(metric: MetricKey): LineChart {
    const chart: LineChart = new Chart(this.canvasOf(metric), {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...baseOptions<'line'>(),
        scales: this.scales(metric),
        plugins: {
          legend: this.legend(),
          // Bands have no label of their own; the lines carry the tooltip.
          tooltip: { filter: (item) => !this.isBand(item.dataset) },
        },
      },
    });
    markPoints(chart as unknown as Chart);
    return chart;
  }

  private scales(metric: MetricKey) {
    const log = this.isLog(metric);
    const x = {
      ...axis(this.theme, 'epoch', 'linear', true),
      ...epochRange(this.lastEpoch),
      // Whole epochs only, starting at 1, in every chart.
      afterBuildTicks: (scale: Scale) => {
        scale.ticks = epochTicks(scale.min, scale.max).map((value) => ({ value }));
      },
    };
    const y = axis(this.theme, log ? `${CHARTS[metric].y} (log scale)` : CHARTS[metric].y, log ? 'logarithmic' : 'linear');
    if (!log) return { x, y };
    // Chart.js labels the top fifth of a log axis' ticks whatever their spacing: narrow ranges overlapped.
    const callback = (_value: number | string, index: number, ticks: Tick[]) => logTickLabels(ticks.map((t) => t.value))[index];
    return { x, y: { ...y, ticks: { ...y.ticks, callback } } };
  }

  private legend() {
    return groupLegend(this.lossOf, (loss) => this.colour(loss), this.theme);
  }

  private colour(lossLabel: string): string {
    const palette = this.theme.palette;
    if (!this.lossColours.has(lossLabel)) this.lossColours.set(lossLabel, this.lossColours.size);
    return palette[this.lossColours.get(lossLabel)! % palette.length];
  }

  private dash(modelLabel: string): number[] {
    if (!this.modelDashes.has(modelLabel)) this.modelDashes.set(modelLabel, this.modelDashes.size);
    return MODEL_DASHES[this.modelDashes.get(modelLabel)! % MODEL_DASHES.length];
  }

  private isBand(dataset: object): boolean {
    return this.bandSets.has(dataset);
  }

  /** Colours a dataset from the current theme (lines solid, bands translucent). */
  private style(d: ChartDataset<'line', Point[]>): void {
    const loss = this.lossOf.get(d);
    if (loss === undefined) return;
    const colour = this.colour(loss);
    if (this.isBand(d)) {
      d.borderColor = 'transparent';
      d.backgroundColor = withAlpha(colour, this.theme.highContrast ? 0.35 : 0.18);
    } else if (this.rawSets.has(d) && this.smoothing > 0) {
      // Behind the smoothed line, as TensorBoard draws it.
      d.borderColor = withAlpha(colour, this.theme.highContrast ? 0.45 : 0.25);
      d.backgroundColor = d.borderColor;
    } else {
      d.borderColor = colour;
      d.backgroundColor = colour;
    }
  }

  private addRun(view: RunView): RunEntry {
    const group = groupKey(view);
    const lines = {} as Record<MetricKey, LineDataset>;
    const smooth = {} as Record<MetricKey, LineDataset>;
    for (const m of METRICS) {
      const line: LineDataset = {
        label: `${view.lossLabel} · ${view.modelLabel} · seed ${view.seed}`,
        data: [],
        borderWidth: this.theme.highContrast ? 2.5 : 1.5,
        borderDash: this.dash(view.modelLabel),
        pointRadius: 2,
        fill: false,
        order: 1,
      };
      const smoothed: LineDataset = { ...line, label: `${line.label} (smoothed)`, data: [], pointRadius: 0, order: 0 };
      this.rawSets.add(line);
      for (const d of [line, smoothed]) {
        this.lossOf.set(d, view.lossLabel);
        this.style(d);
      }
      this.charts[m].data.datasets.push(line, smoothed);
      lines[m] = line;
      smooth[m] = smoothed;
    }
    const entry: RunEntry = { view, group, lines, smooth };
    this.runs.set(view.runId, entry);
    const members = this.groups.get(group) ?? { lossLabel: view.lossLabel, runIds: [] };
    members.runIds.push(view.runId);
    this.groups.set(group, members);
    if (members.runIds.length === 2) this.addBands(members);
    return entry;
  }

  /** The two datasets of a band go in together: the upper one fills down to the one before it. */
  private addBands(group: Group): void {
    const bands = {} as NonNullable<Group['bands']>;
    for (const m of METRICS) {
      const common = { data: [] as Point[], borderWidth: 0, pointRadius: 0, pointHitRadius: 0, order: 2 };
      const lower: LineDataset = { ...common, label: `${group.lossLabel} mean − std`, fill: false };
      const upper: LineDataset = { ...common, label: `${group.lossLabel} mean + std`, fill: '-1' };
      bands[m] = { lower, upper };
      for (const d of [lower, upper]) {
        this.lossOf.set(d, group.lossLabel);
        this.bandSets.add(d);
      }
      this.charts[m].data.datasets.push(lower, upper);
    }
    group.bands = bands;
    for (const m of METRICS) for (const d of [bands[m].lower, bands[m].upper]) this.style(d);
  }

  /** The smoothed copy of each of the run's curves (none while smoothing is off), and the raw ones' faintness. */
  private refreshSmooth(entry: RunEntry): void {
    for (const m of METRICS) {
      const smooth = entry.smooth[m];
      smooth.data = this.smoothing > 0 ? emaSmooth(entry.lines[m].data, this.smoothing) : [];
      // A line needs two points; a lone one is drawn as a point, or it would not show at all.
      smooth.pointRadius = smooth.data.length === 1 ? 2 : 0;
      this.style(entry.lines[m]);
    }
  }

  private refreshBand(group: Group): void {
    if (!group.bands) return;
    for (const m of METRICS) {
      const band = bandOf(group.runIds.map((id) => this.runs.get(id)!.lines[m].data), this.isLog(m));
      group.bands[m].lower.data = band.lower;
      group.bands[m].upper.data = band.upper;
    }
  }

  private draw(): void {
    for (const [metric, chart] of Object.entries(this.charts) as [MetricKey, LineChart][]) {
      // Before the first epoch an accuracy axis shows 0–100 %, not Chart.js' empty 0–1.
      const empty = chart.data.datasets.every((d) => d.data.length === 0);
      const y = chart.options.scales?.y;
      if (y && !this.isLog(metric)) Object.assign(y, empty && !metric.endsWith('Loss') ? { min: 0, max: 100 } : { min: undefined, max: undefined });
      const x = chart.options.scales?.x;
      if (x) Object.assign(x, epochRange(this.lastEpoch));
      chart.update('none');
      markPoints(chart as unknown as Chart);
    }
  }
}
