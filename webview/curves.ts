/**
 * The four training-curve charts. Each run is one line, coloured by its loss setting and
 * dashed by model; runs that differ only by seed share a mean ± std band. The train charts draw
 * a run's step-level points where it recorded them; the x axis is the epoch, the step or the
 * wall time. Points are pushed into the existing datasets and drawn with update('none'): charts
 * are never rebuilt. With smoothing on, each run also gets its moving average, the recorded line
 * drawn faint behind. Hovering reads out every run's value at that x; a run can be hidden or
 * highlighted (others faint) across all four charts.
 */
import Chart from 'chart.js/auto';
import { Interaction, type ChartDataset, type InteractionItem, type InteractionModeFunction, type LegendItem, type Plugin, type Scale, type Tick } from 'chart.js';
import { curveXRange, epochTicks, logTickLabels } from './axes';
import type { EpochMetrics, StepPoint } from '../src/core/results/types';
import type { CurveXAxis, RunSnapshot, RunView } from '../src/protocol/webview';
import { applyDefaults, axis, baseOptions, groupLegend, markPoints } from './chartTheme';
import type { SvgChart } from './chartSvg';
import { readoutAt, segmentDistance } from './readout';
import { bandOf, colourIndex, emaSmooth, groupKey, isLogScale, METRICS, MODEL_DASHES, type MetricKey, type Point } from './series';
import { withAlpha, type Theme } from './theme';
import { curvePoints, formatX, stepsPerEpochOf, upsertStep, xAxisTitle } from './xAxis';
import { formatDuration } from '../src/core/util/duration';

type LineDataset = ChartDataset<'line', Point[]>;
type LineChart = Chart<'line', Point[]>;

export const CURVE_CHARTS: Record<MetricKey, { canvas: string; y: string; file: string }> = {
  testAcc: { canvas: 'chart-test-acc', y: 'test accuracy (%)', file: 'test-accuracy' },
  trainAcc: { canvas: 'chart-train-acc', y: 'train accuracy (%)', file: 'train-accuracy' },
  trainLoss: { canvas: 'chart-train-loss', y: 'train loss', file: 'train-loss' },
  testLoss: { canvas: 'chart-test-loss', y: 'test loss', file: 'test-loss' },
};

/** Which run a line belongs to, and whether it is the recorded line or its moving average (for the read-out). */
const lineOwner = new WeakMap<object, { runId: string; label: string; smoothed: boolean }>();

declare module 'chart.js' {
  interface InteractionModeMap {
    runReadout: InteractionModeFunction;
  }
}

/** The lines the read-out reads: per visible run its drawn curve (the moving average while smoothing is on). */
function readoutLines(chart: Chart): { datasetIndex: number; points: Point[] }[] {
  const byRun = new Map<string, { datasetIndex: number; points: Point[]; smoothed: boolean }>();
  chart.data.datasets.forEach((d, datasetIndex) => {
    const owner = lineOwner.get(d);
    if (!owner || !chart.isDatasetVisible(datasetIndex) || d.data.length === 0) return;
    const seen = byRun.get(owner.runId);
    if (!seen || (owner.smoothed && !seen.smoothed)) byRun.set(owner.runId, { datasetIndex, points: d.data as Point[], smoothed: owner.smoothed });
  });
  return [...byRun.values()];
}

/** The x each chart's read-out snapped to, where its vertical line goes. */
const readoutX = new WeakMap<Chart, number>();

/** TensorBoard's read-out: every run at the x nearest the pointer, highest value first. */
Interaction.modes.runReadout = (chart, event) => {
  const x = chart.scales.x?.getValueForPixel(event.x ?? NaN);
  if (x === undefined || !Number.isFinite(x)) return [];
  const readout = readoutAt(
    readoutLines(chart).map((l) => ({ key: l.datasetIndex, points: l.points })),
    x,
  );
  if (readout) readoutX.set(chart, readout.x);
  return (readout?.rows ?? []).map((row): InteractionItem => ({ datasetIndex: row.key, index: row.index, element: chart.getDatasetMeta(row.key).data[row.index] }));
};

/** A vertical line at the x the read-out shows. */
const hoverLine: Plugin<'line'> = {
  id: 'lossLabHoverLine',
  afterDatasetsDraw(chart) {
    const active = chart.tooltip?.getActiveElements() ?? [];
    const snapped = readoutX.get(chart);
    if (active.length === 0 || snapped === undefined) return;
    const x = chart.scales.x.getPixelForValue(snapped);
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.strokeStyle = Chart.defaults.color as string;
    ctx.globalAlpha = 0.5;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, chartArea.top);
    ctx.lineTo(x, chartArea.bottom);
    ctx.stroke();
    ctx.restore();
  },
};

interface RunEntry {
  view: RunView;
  group: string;
  metrics: EpochMetrics[];
  steps: StepPoint[];
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
  /** The x axis of all four charts. */
  xAxis?: CurveXAxis;
}

/** What the panel adds to the report's charts: zooming (a plugin kept out of the report's bundle) and listeners. */
export interface CurveInteractions {
  plugins: Plugin<'line'>[];
  /** Plugin options of one chart; `onZoomed` tells the charts that someone zoomed or panned it (false: back to the full range). */
  pluginOptions(onZoomed: (zoomed: boolean) => void): Record<string, unknown>;
  /** A run was highlighted by hovering its line (undefined: none). */
  onHighlight?(runId: string | undefined): void;
  /** A legend click showed or hid a loss setting's runs. */
  onLossToggled?(runIds: string[], hidden: boolean): void;
}

interface Group {
  lossLabel: string;
  runIds: string[];
  bands?: Record<MetricKey, { lower: LineDataset; upper: LineDataset }>;
}

/** A chart's zoom methods, present when chartjs-plugin-zoom is registered on it. */
type Zoomable = { resetZoom?: (mode?: 'none') => void };

/** How close (px) the pointer must come to a line to highlight its run. */
const HIGHLIGHT_DISTANCE = 6;

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
  private xAxis: CurveXAxis;
  /** Runs someone unticked in the run list. */
  private hidden = new Set<string>();
  /** Compare Runs: while non-empty, only these runs are drawn (the run list's ticks stay as they are). */
  private focus = new Set<string>();
  private highlighted = new Set<string>();
  private readonly zoomed = new Set<MetricKey>();
  private lossColours = new Map<string, number>();
  private modelDashes = new Map<string, number>();
  /** The last epoch any run plans or has reached: the end of the epoch axis. */
  private lastEpoch = 1;
  /** Runs with step points not yet drawn: steps arrive often, from several runs at once, and are drawn once a frame. */
  private readonly stale = new Set<RunEntry>();
  private frame: number | undefined;
  /** Told when a chart is zoomed or back to its full range (the panel shows its Reset button). */
  onZoomChange?: (metric: MetricKey, zoomed: boolean) => void;

  /** `canvasOf` finds each metric's canvas: the panel's ids by default; the report draws one set per model. */
  constructor(
    private theme: Theme,
    private readonly canvasOf: (metric: MetricKey) => HTMLCanvasElement = (m) => document.getElementById(CURVE_CHARTS[m].canvas) as HTMLCanvasElement,
    options: CurveViewOptions = {},
    private readonly interactions?: CurveInteractions,
  ) {
    this.smoothing = options.smoothing ?? 0;
    this.logAxes = { ...options.logAxes };
    this.xAxis = options.xAxis ?? 'epoch';
    applyDefaults(theme);
    this.charts = Object.fromEntries(METRICS.map((m) => [m, this.createChart(m)])) as Record<MetricKey, LineChart>;
  }

  /** Replaces every series (a new experiment, or the host starting over). */
  reset(runs: readonly RunSnapshot[]): void {
    this.stale.clear();
    this.runs.clear();
    this.groups.clear();
    this.lossColours = colourIndex(runs.map((r) => r.lossLabel));
    this.modelDashes = colourIndex(runs.map((r) => r.modelLabel));
    this.lastEpoch = Math.max(1, ...runs.map((r) => Math.max(r.epochs, r.metrics.at(-1)?.epoch ?? 0)));
    for (const chart of Object.values(this.charts)) chart.data.datasets = [];
    for (const run of runs) {
      const entry = this.addRun(run);
      entry.metrics = [...run.metrics];
      entry.steps = [...(run.steps ?? [])];
      this.refreshLines(entry);
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
    // A resumed run redoes epochs: the later ones go.
    entry.metrics = [...entry.metrics.filter((m) => m.epoch < metrics.epoch), metrics];
    this.lastEpoch = Math.max(this.lastEpoch, metrics.epoch);
    this.refreshLines(entry);
    this.refreshBand(this.groups.get(entry.group)!);
    this.draw();
    return true;
  }

  /** A step-level training point while an epoch runs. */
  addStep(runId: string, point: StepPoint): boolean {
    const entry = this.runs.get(runId);
    if (!entry) return false;
    upsertStep(entry.steps, point);
    this.stale.add(entry);
    this.drawSoon();
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

  get xAxisMode(): CurveXAxis {
    return this.xAxis;
  }

  /** How many runs have no step points (on the step axis they have no step to sit at). */
  get runsWithoutSteps(): number {
    return [...this.runs.values()].filter((e) => e.steps.length === 0 && e.metrics.length > 0).length;
  }

  /** Puts every chart on another x axis (epoch, step, wall time); zooms are reset, as their range means something else now. */
  setXAxis(mode: CurveXAxis): void {
    this.xAxis = mode;
    for (const metric of METRICS) {
      this.unzoom(metric);
      this.charts[metric].options.scales = this.scales(metric);
    }
    for (const entry of this.runs.values()) this.refreshLines(entry);
    for (const group of this.groups.values()) this.refreshBand(group);
    this.draw();
    for (const metric of METRICS) this.onZoomChange?.(metric, false);
  }

  /** Hides these runs (and shows every other) in all four charts; bands cover the shown runs only. */
  setHiddenRuns(runIds: Iterable<string>): void {
    this.hidden = new Set(runIds);
    this.applyVisibility();
  }

  /** Compare Runs: draws only these runs until called with none. */
  focusRuns(runIds: readonly string[]): void {
    this.focus = new Set(runIds);
    this.applyVisibility();
  }

  private isHidden(runId: string): boolean {
    return this.hidden.has(runId) || (this.focus.size > 0 && !this.focus.has(runId));
  }

  private applyVisibility(): void {
    for (const entry of this.runs.values()) {
      for (const m of METRICS) entry.lines[m].hidden = entry.smooth[m].hidden = this.isHidden(entry.view.runId);
    }
    for (const group of this.groups.values()) this.refreshBand(group);
    this.draw();
  }

  /** Draws these runs bold and every other faint, in all four charts (undefined: all as usual). */
  highlight(runIds: string | readonly string[] | undefined): void {
    const next = runIds === undefined ? [] : typeof runIds === 'string' ? [runIds] : [...runIds];
    if (next.length === this.highlighted.size && next.every((id) => this.highlighted.has(id))) return;
    this.highlighted = new Set(next);
    for (const chart of Object.values(this.charts)) for (const d of chart.data.datasets) this.style(d);
    this.draw();
  }

  /** Back to the full x range. */
  resetZoom(metric: MetricKey): void {
    this.unzoom(metric);
    this.draw();
    this.onZoomChange?.(metric, false);
  }

  isZoomed(metric: MetricKey): boolean {
    return this.zoomed.has(metric);
  }

  chart(metric: MetricKey): Chart {
    return this.charts[metric];
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

  /** The chart as the SVG writer needs it: its scales as drawn, and the visible runs and bands. */
  describe(metric: MetricKey): Omit<SvgChart, 'colours' | 'font'> {
    const chart = this.charts[metric];
    const { x, y } = chart.scales;
    const axisOf = (scale: Scale, title: string) => ({
      type: scale.type === 'logarithmic' ? ('logarithmic' as const) : ('linear' as const),
      min: scale.min,
      max: scale.max,
      title,
      ticks: scale.ticks.map((t) => ({ value: t.value, label: Array.isArray(t.label) ? t.label.join(' ') : String(t.label ?? '') })),
    });
    const visible = chart.data.datasets.filter((d, i) => chart.isDatasetVisible(i) && d.data.length > 0);
    const bands = [...this.groups.values()].flatMap((g) => (g.bands && visible.includes(g.bands[metric].upper) ? [g.bands[metric]] : []));
    const yTitle = (chart.options.scales?.y as { title?: { text?: string } } | undefined)?.title?.text ?? CURVE_CHARTS[metric].y;
    const legend = [...new Set(visible.map((d) => this.lossOf.get(d)).filter((l): l is string => l !== undefined))];
    return {
      title: `${CURVE_CHARTS[metric].y} against ${xAxisTitle(this.xAxis)}`,
      width: chart.width,
      height: chart.height,
      area: { ...chart.chartArea },
      x: axisOf(x, xAxisTitle(this.xAxis)),
      y: axisOf(y, yTitle),
      // Faint raw lines first, as the canvas draws them behind the moving averages.
      series: visible
        .filter((d) => lineOwner.has(d))
        .sort((a, b) => (b.order ?? 0) - (a.order ?? 0))
        .map((d) => ({
          label: d.label ?? '',
          colour: typeof d.borderColor === 'string' ? d.borderColor : '', // we only set strings
          width: Number(d.borderWidth ?? 1),
          dash: (d.borderDash as number[] | undefined) ?? [],
          pointRadius: typeof d.pointRadius === 'number' ? d.pointRadius : 0,
          points: d.data,
        })),
      bands: bands.map((b) => ({ colour: typeof b.upper.backgroundColor === 'string' ? b.upper.backgroundColor : '', lower: b.lower.data, upper: b.upper.data })),
      legend: legend.map((label) => ({ label, colour: this.colour(label) })),
    };
  }

  private unzoom(metric: MetricKey): void {
    (this.charts[metric] as unknown as Zoomable).resetZoom?.('none');
    this.zoomed.delete(metric);
  }

  private createChart(metric: MetricKey): LineChart {
    const canvas = this.canvasOf(metric);
    const chart: LineChart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [hoverLine, ...(this.interactions?.plugins ?? [])],
      options: {
        ...baseOptions<'line'>(),
        interaction: { mode: 'runReadout', intersect: false },
        scales: this.scales(metric),
        onHover: (event) => {
          // Outside the plot (over the legend) the legend's own hover decides.
          const { top, bottom, left, right } = chart.chartArea;
          if (!this.interactions || event.x === null || event.y === null || event.y < top || event.y > bottom || event.x < left || event.x > right) return;
          const runId = this.lineNear(chart, event.x, event.y);
          this.highlight(runId);
          this.interactions.onHighlight?.(runId);
        },
        plugins: {
          legend: this.legend(),
          tooltip: {
            callbacks: {
              // The x the read-out snapped to; a run's own nearest point may sit a little off it.
              title: (items) => (items.length ? formatX(readoutX.get(items[0].chart) ?? items[0].parsed.x ?? NaN, this.xAxis) : ''),
              label: (item) => {
                const owner = lineOwner.get(item.dataset);
                const value = `${owner?.label ?? item.dataset.label}: ${formatValue(item.parsed.y ?? NaN)}`;
                // While smoothing, the recorded value beside the average, as TensorBoard shows both.
                const raw = owner?.smoothed ? this.runs.get(owner.runId)?.lines[metric].data[item.dataIndex]?.y : undefined;
                return raw === undefined ? value : `${value} (recorded ${formatValue(raw)})`;
              },
            },
          },
          ...this.interactions?.pluginOptions((zoomed) => {
            if (zoomed) this.zoomed.add(metric);
            else this.zoomed.delete(metric);
            markXRange(chart);
            this.onZoomChange?.(metric, zoomed);
          }),
        },
      },
    });
    if (this.interactions) {
      canvas.addEventListener('mouseleave', () => {
        this.highlight(undefined);
        this.interactions?.onHighlight?.(undefined);
      });
      canvas.addEventListener('dblclick', () => this.resetZoom(metric));
    }
    markPoints(chart);
    return chart;
  }

  /** The run whose drawn line passes within a few pixels of (x, y), if any. */
  private lineNear(chart: LineChart, x: number | null, y: number | null): string | undefined {
    if (x === null || y === null) return undefined;
    let best: { runId: string; distance: number } | undefined;
    for (const line of readoutLines(chart)) {
      const elements = chart.getDatasetMeta(line.datasetIndex).data;
      for (let i = 0; i < elements.length; i++) {
        const a = elements[i];
        const b = elements[Math.min(i + 1, elements.length - 1)];
        const distance = segmentDistance(x, y, a.x, a.y, b.x, b.y);
        if (distance <= HIGHLIGHT_DISTANCE && (!best || distance < best.distance)) best = { runId: lineOwner.get(chart.data.datasets[line.datasetIndex])!.runId, distance };
      }
    }
    return best?.runId;
  }

  private scales(metric: MetricKey) {
    const log = this.isLog(metric);
    const mode = this.xAxis;
    const x = {
      ...axis(this.theme, xAxisTitle(mode), 'linear', mode === 'step'),
      // Whole epochs, in every chart; zoomed in between two, Chart.js' own fractional ticks.
      afterBuildTicks: (scale: Scale) => {
        if (mode !== 'epoch') return;
        const whole = epochTicks(scale.min, scale.max);
        if (whole.length >= 2 || (whole.length === 1 && !this.zoomed.has(metric))) scale.ticks = whole.map((value) => ({ value }));
      },
      ...(mode === 'wall' ? { ticks: { color: this.theme.foreground, callback: (value: number | string) => formatDuration(Number(value)) } } : {}),
    };
    const yTitle = CURVE_CHARTS[metric].y;
    const y = axis(this.theme, log ? `${yTitle} (log scale)` : yTitle, log ? 'logarithmic' : 'linear');
    if (!log) return { x, y };
    // Chart.js labels the top fifth of a log axis' ticks whatever their spacing: narrow ranges overlapped.
    const callback = (_value: number | string, index: number, ticks: Tick[]) => logTickLabels(ticks.map((t) => t.value))[index];
    return { x, y: { ...y, ticks: { ...y.ticks, callback } } };
  }

  private legend() {
    const legend = groupLegend(
      this.lossOf,
      (loss) => this.colour(loss),
      this.theme,
      this.interactions ? (loss) => this.toggleLoss(loss) : undefined,
    );
    if (!this.interactions) return legend;
    // Hovering a loss setting's entry highlights its runs, as hovering a run's line does.
    return {
      ...legend,
      onHover: (_e: unknown, item: LegendItem) => this.highlight(this.runsOf(item.text)),
      onLeave: () => this.highlight(undefined),
    };
  }

  private runsOf(lossLabel: string): string[] {
    return [...this.runs.values()].filter((e) => e.view.lossLabel === lossLabel).map((e) => e.view.runId);
  }

  /** A legend click: the loss setting's runs all hidden, or all shown when they were. */
  private toggleLoss(lossLabel: string): void {
    const ids = this.runsOf(lossLabel);
    const hide = !ids.every((id) => this.hidden.has(id));
    this.setHiddenRuns(hide ? [...this.hidden, ...ids] : [...this.hidden].filter((id) => !ids.includes(id)));
    this.interactions?.onLossToggled?.(ids, hide);
  }

  /** A loss setting's colour, the same in every chart and in the run list. */
  colour(lossLabel: string): string {
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

  /** Colours a dataset from the current theme (lines solid, bands translucent; with a run highlighted, the others faint). */
  private style(d: ChartDataset<'line', Point[]>): void {
    const loss = this.lossOf.get(d);
    if (loss === undefined) return;
    const colour = this.colour(loss);
    const owner = lineOwner.get(d);
    const lit = owner !== undefined && this.highlighted.has(owner.runId);
    const dimmed = this.highlighted.size > 0 && !lit;
    const width = this.theme.highContrast ? 2.5 : 1.5;
    if (this.isBand(d)) {
      d.borderColor = 'transparent';
      d.backgroundColor = withAlpha(colour, (this.theme.highContrast ? 0.35 : 0.18) * (this.highlighted.size > 0 ? 0.4 : 1));
    } else if (this.rawSets.has(d) && this.smoothing > 0) {
      // Behind the smoothed line, as TensorBoard draws it.
      d.borderColor = withAlpha(colour, (this.theme.highContrast ? 0.45 : 0.25) * (dimmed ? 0.4 : 1));
      d.backgroundColor = d.borderColor;
    } else {
      d.borderColor = dimmed ? withAlpha(colour, 0.2) : colour;
      d.backgroundColor = d.borderColor;
    }
    if (owner) d.borderWidth = lit ? width * 2 : width;
  }

  private addRun(view: RunView): RunEntry {
    const group = groupKey(view);
    const lines = {} as Record<MetricKey, LineDataset>;
    const smooth = {} as Record<MetricKey, LineDataset>;
    const label = `${view.lossLabel} · ${view.modelLabel} · seed ${view.seed}`;
    for (const m of METRICS) {
      const line: LineDataset = {
        label,
        data: [],
        borderWidth: this.theme.highContrast ? 2.5 : 1.5,
        borderDash: this.dash(view.modelLabel),
        pointRadius: 2,
        fill: false,
        order: 1,
        hidden: this.isHidden(view.runId),
      };
      const smoothed: LineDataset = { ...line, label: `${label} (smoothed)`, data: [], pointRadius: 0, order: 0 };
      this.rawSets.add(line);
      lineOwner.set(line, { runId: view.runId, label, smoothed: false });
      lineOwner.set(smoothed, { runId: view.runId, label, smoothed: true });
      for (const d of [line, smoothed]) {
        this.lossOf.set(d, view.lossLabel);
        this.style(d);
      }
      this.charts[m].data.datasets.push(line, smoothed);
      lines[m] = line;
      smooth[m] = smoothed;
    }
    const entry: RunEntry = { view, group, metrics: [], steps: [], lines, smooth };
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

  /** The run's points on the current x axis, then their moving averages. */
  private refreshLines(entry: RunEntry): void {
    for (const m of METRICS) entry.lines[m].data = curvePoints(entry.metrics, entry.steps, m, this.xAxis);
    this.refreshSmooth(entry);
  }

  /** The smoothed copy of each of the run's curves (none while smoothing is off), and the raw ones' faintness. */
  private refreshSmooth(entry: RunEntry): void {
    for (const m of METRICS) {
      const smooth = entry.smooth[m];
      smooth.data = this.smoothing > 0 ? emaSmooth(entry.lines[m].data, this.smoothing) : [];
      // A line needs two points; a lone one is drawn as a point, or it would not show at all.
      smooth.pointRadius = smooth.data.length === 1 ? 2 : 0;
      // Dense step points would cover the line with dots.
      entry.lines[m].pointRadius = entry.lines[m].data.length > 60 ? 0 : 2;
      this.style(entry.lines[m]);
    }
  }

  private refreshBand(group: Group): void {
    if (!group.bands) return;
    const shown = group.runIds.filter((id) => !this.isHidden(id));
    for (const m of METRICS) {
      const band = bandOf(
        shown.map((id) => this.runs.get(id)!.lines[m].data),
        this.isLog(m),
      );
      group.bands[m].lower.data = band.lower;
      group.bands[m].upper.data = band.upper;
    }
  }

  /** Redraws at the next frame the runs whose steps changed (a hidden panel draws when shown again). */
  private drawSoon(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      const groups = new Set<Group>();
      for (const entry of this.stale) {
        if (this.runs.get(entry.view.runId) !== entry) continue;
        this.refreshLines(entry);
        groups.add(this.groups.get(entry.group)!);
      }
      this.stale.clear();
      for (const group of groups) this.refreshBand(group);
      this.draw();
    });
  }

  private draw(): void {
    const withSteps = [...this.runs.values()].filter((e) => e.steps.length > 0);
    const stepsPerEpoch = withSteps.length ? stepsPerEpochOf(withSteps[0].steps) : undefined;
    for (const [metric, chart] of Object.entries(this.charts) as [MetricKey, LineChart][]) {
      // Before the first epoch an accuracy axis shows 0–100 %, not Chart.js' empty 0–1.
      const empty = chart.data.datasets.every((d) => d.data.length === 0);
      const y = chart.options.scales?.y;
      if (y && !this.isLog(metric)) Object.assign(y, empty && !metric.endsWith('Loss') ? { min: 0, max: 100 } : { min: undefined, max: undefined });
      const x = chart.options.scales?.x;
      // A zoomed chart keeps the range someone chose; the others follow the runs.
      if (x && !this.zoomed.has(metric)) Object.assign(x, curveXRange(this.xAxis, this.lastEpoch, stepsPerEpoch, withSteps.length > 0));
      chart.update('none');
      markPoints(chart);
      markXRange(chart);
      chart.canvas.setAttribute('data-x-axis', this.xAxis);
    }
  }
}

/** A value as the read-out shows it: four significant digits. */
function formatValue(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/** The x axis' drawn range on the canvas (data-x-min, data-x-max), for tests and tools, as data-points is. */
function markXRange(chart: LineChart): void {
  const x = chart.scales.x;
  if (!x) return;
  chart.canvas.setAttribute('data-x-min', String(x.min));
  chart.canvas.setAttribute('data-x-max', String(x.max));
}
