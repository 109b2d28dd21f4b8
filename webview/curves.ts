/**
 * The four training-curve charts. Each run is one line, coloured by its loss setting and
 * dashed by model; runs that differ only by seed share a mean ± std band. The train charts draw
 * a run's step-level points where it recorded them; the x axis is the epoch, the step or the
 * wall time. Points are pushed into the existing datasets and drawn with update('none'): charts
 * are never rebuilt. With smoothing on, each run also gets its moving average, the recorded line
 * drawn faint behind. Hovering reads out every run's value at that x; a run can be hidden or
 * highlighted (others faint) across all four charts. What is shown lives in a CurveStore; this
 * class keeps the Chart.js side in step with it.
 */
import Chart from 'chart.js/auto';
import type { LegendItem, Plugin } from 'chart.js';
import { bandLower, CURVE_TYPE, CurveController, drawHovered, pixelOf } from './curveController';
import { curveXRange } from './axes';
import type { EpochMetrics, StepPoint } from '../src/core/results/types';
import type { CurveXAxis, FromWebview, RunSnapshot, RunSteps, RunView } from '../src/protocol/webview';
import { stepWindow } from './stepWindow';
import { modelLegendItems } from './modelLegend';
import { applyDefaults, baseOptions, groupLegend } from './chartTheme';
import type { SvgChart } from './chartSvg';
import { CurveDatasets, type LineDataset } from './curveDatasets';
import { CURVE_CHARTS } from './curveMetrics';
import { drawHoverLine, lineNear, lineOwner, readoutKeeps, readoutTooltip } from './curveReadout';
import { cachedDatasets } from './chartCache';
import { drawHighlight, type LitLine } from './highlightLayer';
import { minMaxIndices, pick, pickShared, unionIndices, type XRange } from '../src/core/results/decimate';
import { curveScales, markXRange } from './curveScales';
import { CurveStore, type CurveRun, type CurveViewOptions } from './curveStore';
import { describeCurves } from './curveSvg';
import { bandOf, countPoints, emaSmooth, isAccuracy, METRICS, type MetricKey, type Point } from './series';
import { smoothingNote, type ChartData } from './chartData';
import { xAxisTitle } from './xAxis';
import { runTitle } from '../src/core/results/runTitle';
import { pageBackground, type Theme } from './theme';
import { ShownCharts } from './shownCharts';

type LineChart = Chart<'line', Point[]>;

Chart.register(CurveController);

/** What the panel adds to the report's charts: zooming (a plugin kept out of the report's bundle) and listeners. */
export interface CurveInteractions {
  plugins: Plugin<'line'>[];
  /** Plugin options of one chart; `onZoomed` tells the charts that someone zoomed or panned it (false: back to the full range). */
  pluginOptions(onZoomed: (zoomed: boolean) => void): Record<string, unknown>;
  /** A run was highlighted by hovering its line (undefined: none). */
  onHighlight?(runId: string | undefined): void;
  /** A legend click showed or hid a loss setting's runs. */
  onLossToggled?(runIds: string[], hidden: boolean): void;
  /** Asks the host for step points it left out of `init`; the answer goes to `receiveSteps`. */
  requestSteps?(request: Omit<Extract<FromWebview, { type: 'steps' }>, 'type'>): void;
}

/** Beside the plot once the loss settings would wrap above it into rows that leave the plot little height. */
const legendPosition = (losses: number): 'top' | 'right' => (losses > 4 ? 'right' : 'top');

/** The train charts, the ones that draw step points. */
const STEP_CHARTS: readonly MetricKey[] = ['trainLoss', 'trainAcc'];

/** The points a chart draws (data-points, as markPoints writes it), each band's lower edge included. */
function markCurvePoints(chart: LineChart): void {
  const shown = chart.data.datasets.filter((_d, i) => chart.isDatasetVisible(i));
  chart.canvas.setAttribute('data-points', String(countPoints([...shown, ...shown.flatMap((d) => bandLower.get(d) ?? [])])));
}

/** A chart's zoom methods, present when chartjs-plugin-zoom is registered on it. */
type Zoomable = { resetZoom?: (mode?: 'none') => void };

export class CurveCharts {
  private readonly charts: Record<MetricKey, LineChart>;
  private readonly store: CurveStore;
  private readonly datasets: CurveDatasets;
  private readonly zoomed = new Set<MetricKey>();
  /** Runs with step points not yet drawn: steps arrive often, from several runs at once, and are drawn once a frame. */
  private readonly stale = new Set<CurveRun>();
  private frame: number | undefined;
  private batching = false;
  /** The last step-point request: answers to older ones are dropped; its window, to ask again only when it changes. */
  private stepRequest = { id: 0, window: 'none' };
  /** Told when a chart is zoomed or back to its full range (the panel shows its Reset button). */
  onZoomChange?: (metric: MetricKey, zoomed: boolean) => void;
  /** The page's background, veiling the runs not highlighted. */
  private veil = pageBackground();
  /** The panel computes and draws only the charts on the page (the report draws all). */
  private readonly shown: ShownCharts<MetricKey>;

  /** `canvasOf` finds each metric's canvas: the panel's ids by default; the report draws one set per model. */
  constructor(
    private theme: Theme,
    private readonly canvasOf: (metric: MetricKey) => HTMLCanvasElement = (m) => document.getElementById(CURVE_CHARTS[m].canvas) as HTMLCanvasElement,
    options: CurveViewOptions = {},
    private readonly interactions?: CurveInteractions,
  ) {
    this.store = new CurveStore(options);
    this.datasets = new CurveDatasets(this.store, () => this.theme);
    applyDefaults(theme);
    this.charts = Object.fromEntries(METRICS.map((m) => [m, this.createChart(m)])) as Record<MetricKey, LineChart>;
    this.shown = new ShownCharts(
      (m) => this.charts[m].canvas,
      METRICS,
      (m) => this.draw([m]),
      interactions !== undefined,
    );
  }

  /** Replaces every series (a new experiment, or the host starting over); colours as CurveStore.reset. */
  reset(runs: readonly RunSnapshot[], colourFrom?: readonly RunView[]): void {
    this.stale.clear();
    this.store.reset(runs, colourFrom);
    this.datasets.clear();
    for (const chart of Object.values(this.charts)) chart.data.datasets = [];
    for (const snapshot of runs) {
      const run = this.addRun(snapshot);
      run.metrics = [...snapshot.metrics];
      run.steps = [...(snapshot.steps ?? [])];
      run.stepInfo = snapshot.stepInfo;
      this.refreshLines(run);
    }
    for (const key of this.store.groups.keys()) this.refreshBand(key);
    this.draw();
    this.stepRequest = { id: this.stepRequest.id + 1, window: 'none' };
    this.syncSteps();
  }

  /** The host's answer to the last step-point request: those runs' lines drawn from them. */
  receiveSteps(requestId: number, runs: readonly RunSteps[]): void {
    if (requestId !== this.stepRequest.id) return;
    this.replaceSteps(runs);
  }

  /**
   * Asks for the step points the train charts can show now (none at full range on the epoch
   * axis), when that changed; with none needed, drops those asked for before. True when it asked.
   */
  private syncSteps(): boolean {
    const ids = this.store.leftOutSteps;
    if (ids.length === 0 || !this.interactions?.requestSteps) return false;
    const window = stepWindow(
      this.store.xAxis,
      STEP_CHARTS.map((m) => this.window(m)),
      this.store.stepRuns().stepsPerEpoch,
    );
    const key = JSON.stringify(window ?? null);
    if (key === this.stepRequest.window) return false;
    this.stepRequest = { id: this.stepRequest.id + 1, window: key };
    if (!window) {
      this.replaceSteps(ids.map((runId) => ({ runId, steps: [] })));
      return false;
    }
    const buckets = Math.max(...STEP_CHARTS.map((m) => this.buckets(m)));
    this.interactions.requestSteps({ requestId: this.stepRequest.id, runIds: ids, buckets, ...window });
    return true;
  }

  /** Step points change the train charts only: the test charts keep what they draw. */
  private replaceSteps(runs: readonly RunSteps[]): void {
    const groups = new Set<string>();
    for (const { runId, steps } of runs) {
      const run = this.store.runs.get(runId);
      if (!run?.stepInfo) continue;
      run.steps = steps;
      this.refreshLines(run, STEP_CHARTS);
      groups.add(run.group);
    }
    for (const key of groups) this.refreshBand(key, STEP_CHARTS);
    this.draw(STEP_CHARTS);
  }

  /** A run the charts have not seen yet gets its (empty) lines. */
  ensureRun(view: RunView): void {
    const run = this.store.runs.get(view.runId);
    const longer = this.store.planEpochs(view.epochs);
    if (run) {
      run.view = view;
      if (longer) this.draw();
      return;
    }
    this.addRun(view);
    this.draw();
  }

  addEpoch(runId: string, metrics: EpochMetrics): boolean {
    const run = this.store.runs.get(runId);
    if (!run) return false;
    this.store.addEpoch(run, metrics);
    this.refreshLines(run);
    this.refreshBand(run.group);
    this.draw();
    return true;
  }

  /** A step-level training point while an epoch runs. */
  addStep(runId: string, point: StepPoint): boolean {
    const run = this.store.runs.get(runId);
    if (!run) return false;
    this.store.addStep(run, point);
    this.stale.add(run);
    this.drawSoon();
    return true;
  }

  /** Smooths every curve with this EMA weight (0: off); the recorded points stay visible, faint. */
  setSmoothing(weight: number): void {
    const was = this.store.smoothing > 0;
    this.store.setSmoothing(weight);
    if (was !== this.store.smoothing > 0) this.placeSmoothed();
    // The lines keep the points they were decimated to: only the averages are new.
    for (const run of this.store.runs.values()) this.smoothLines(run, METRICS);
    this.draw();
  }

  /** Switches one chart's y axis between log and linear. */
  setLogScale(metric: MetricKey, log: boolean): void {
    this.store.logAxes[metric] = log;
    const chart = this.charts[metric];
    // Zooming is on x only, so a zoom outlives the y axis changing (and Reset zoom stays meaningful).
    const { min, max } = (chart.options.scales?.x ?? {}) as { min?: number; max?: number };
    chart.options.scales = this.scales(metric);
    if (this.zoomed.has(metric) && chart.options.scales.x) Object.assign(chart.options.scales.x, { min, max });
    // The other charts' bands and scales are as they were.
    for (const key of this.store.groups.keys()) this.refreshBand(key, [metric]);
    this.draw([metric]);
  }

  isLog(metric: MetricKey): boolean {
    return this.store.isLog(metric);
  }

  get xAxisMode(): CurveXAxis {
    return this.store.xAxis;
  }

  /** How many runs have no step points (on the step axis they have no step to sit at). */
  get runsWithoutSteps(): number {
    return this.store.runsWithoutSteps;
  }

  /** Puts every chart on another x axis (epoch, step, wall time); zooms are reset, as their range means something else now. */
  setXAxis(mode: CurveXAxis): void {
    this.store.xAxis = mode;
    for (const metric of METRICS) {
      this.unzoom(metric);
      this.charts[metric].options.scales = this.scales(metric);
    }
    for (const run of this.store.runs.values()) this.refreshLines(run);
    for (const key of this.store.groups.keys()) this.refreshBand(key);
    for (const metric of METRICS) this.onZoomChange?.(metric, false);
    const outer = this.batching;
    this.batching = true;
    let asked: boolean;
    try {
      asked = this.syncSteps();
    } finally {
      this.batching = outer;
    }
    // With step points on the way, the train charts draw once, with them, not first with epoch points alone.
    this.draw(asked ? METRICS.filter((m) => !STEP_CHARTS.includes(m)) : METRICS);
  }

  /** Hides these runs (and shows every other) in all four charts; bands cover the shown runs only. */
  setHiddenRuns(runIds: Iterable<string>): void {
    this.store.setHidden(runIds);
    this.applyVisibility();
  }

  /** Compare Runs: draws only these runs until called with none. */
  focusRuns(runIds: readonly string[]): void {
    this.store.setFocus(runIds);
    this.applyVisibility();
  }

  private applyVisibility(): void {
    for (const [runId, { lines, smooth }] of this.datasets.runs) {
      for (const m of METRICS) lines[m].hidden = smooth[m].hidden = this.store.isHidden(runId);
    }
    for (const key of this.store.groups.keys()) this.refreshBand(key);
    this.draw();
  }

  /**
   * Draws these runs bold and every other faint, in all four charts (undefined: all as usual):
   * over the datasets as last drawn, which are not drawn again (chartCache.ts).
   */
  highlight(runIds: string | readonly string[] | undefined): void {
    const next = runIds === undefined ? [] : typeof runIds === 'string' ? [runIds] : [...runIds];
    if (!this.store.setHighlighted(next)) return;
    if (this.batching) return;
    for (const chart of Object.values(this.charts)) chart.render();
  }

  /** What depends on the pointer and the highlight, drawn over a chart's datasets. */
  private drawOverlay(chart: LineChart, pasted: boolean): void {
    if (this.store.anyHighlighted) drawHighlight(chart.ctx, chart.chartArea, this.veil, this.litLines(chart));
    // Hovered points are drawn with the datasets, so not in a pasted copy of them.
    if (pasted) drawHovered(chart);
    drawHoverLine(chart);
  }

  /** The highlighted runs' visible lines as drawn, twice as wide, the recorded line under its average. */
  private litLines(chart: LineChart): LitLine[] {
    const toX = pixelOf(chart.scales.x);
    const toY = pixelOf(chart.scales.y);
    return chart.data.datasets
      .map((d, i) => ({ d, i }))
      .filter(({ d, i }) => this.store.isHighlighted(lineOwner.get(d)?.runId ?? '') && chart.isDatasetVisible(i) && d.data.length > 0)
      .sort((a, b) => (b.d.order ?? 0) - (a.d.order ?? 0))
      .map(({ d }) => ({
        points: d.data.map((p) => ({ x: toX(p.x), y: Number.isFinite(p.y) ? toY(p.y) : NaN })),
        colour: d.borderColor as string,
        width: 2 * (d.borderWidth as number),
        dash: (d.borderDash as number[] | undefined) ?? [],
        pointRadius: (d.pointRadius as number | undefined) ?? 0,
      }));
  }

  /** Back to the full x range. */
  resetZoom(metric: MetricKey): void {
    this.unzoom(metric);
    this.redecimate(metric);
    this.draw();
    this.onZoomChange?.(metric, false);
    this.syncSteps();
  }

  isZoomed(metric: MetricKey): boolean {
    return this.zoomed.has(metric);
  }

  chart(metric: MetricKey): Chart {
    return this.charts[metric];
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.veil = pageBackground();
    applyDefaults(theme);
    for (const [m, chart] of Object.entries(this.charts) as [MetricKey, LineChart][]) {
      chart.options.scales = this.scales(m);
      chart.options.plugins = { ...chart.options.plugins, legend: this.legend() };
      for (const d of chart.data.datasets) this.datasets.style(d);
    }
    this.draw(METRICS, true);
  }

  /** A colour group's colour, the same in every chart and in the run list. */
  colour(group: string): string {
    return this.datasets.colour(group);
  }

  /** A run's colour in the charts (its group's, or the baseline's grey). */
  runColour(view: RunView): string {
    return this.colour(this.datasets.labelOf(view));
  }

  /** Colours and groups every line by this field (webview/colourBy.ts). */
  setColourBy(key: string): void {
    this.store.setColourBy(key);
    this.datasets.regroup();
    this.applyVisibility();
    this.repaintPoints();
  }

  /** Draws this run in every chart, grey and dashed, whatever is hidden or focused (undefined: none). */
  setBaseline(runId: string | undefined): void {
    this.store.baseline = runId;
    this.datasets.regroup();
    this.applyVisibility();
    this.repaintPoints();
  }

  /** update('none') keeps the colours each point resolved before; a full update resolves them again. */
  private repaintPoints(): void {
    for (const m of this.shown.filter(METRICS)) this.charts[m].update();
  }

  /** What the chart draws, for CSV and JSON: each shown run's line, smoothed when smoothing is on. */
  data(metric: MetricKey): ChartData {
    const smoothed = this.store.smoothing > 0;
    const series = [...this.datasets.runs]
      .filter(([runId]) => !this.store.isHidden(runId))
      .map(([runId, { lines, smooth }]) => ({ id: runId, label: runTitle(this.store.runs.get(runId)!.view), points: (smoothed ? smooth : lines)[metric].data }));
    const { y } = CURVE_CHARTS[metric];
    return { title: `${y} against ${xAxisTitle(this.store.xAxis)}`, x: xAxisTitle(this.store.xAxis), y, values: smoothingNote(this.store.smoothing), series };
  }

  /** The chart as the SVG writer needs it: its scales as drawn, and the visible runs and bands. */
  describe(metric: MetricKey): Omit<SvgChart, 'colours' | 'font'> {
    const bands = [...this.store.groups.keys()].flatMap((key) => this.datasets.bands.get(key) ?? []);
    return describeCurves({ chart: this.charts[metric], metric, xAxis: this.store.xAxis, bands, lossOf: this.datasets.lossOf, colour: (loss) => this.colour(loss) });
  }

  private unzoom(metric: MetricKey): void {
    // resetZoom updates and draws the chart even when it is not zoomed: four full draws on an axis switch.
    if (!this.zoomed.has(metric)) return;
    (this.charts[metric] as unknown as Zoomable).resetZoom?.('none');
    this.zoomed.delete(metric);
  }

  private createChart(metric: MetricKey): LineChart {
    const canvas = this.canvasOf(metric);
    const chart: LineChart = new Chart(canvas, {
      // Chart.js' line chart, without its element per point (curveController.ts).
      type: CURVE_TYPE as 'line',
      data: { datasets: [] },
      plugins: [cachedDatasets((drawn, pasted) => this.drawOverlay(drawn as LineChart, pasted)), ...(this.interactions?.plugins ?? [])],
      options: {
        ...baseOptions<'line'>(),
        // Points are {x, y} sorted by x already: Chart.js neither copies nor re-sorts thousands of them on each update.
        parsing: false,
        normalized: true,
        interaction: { mode: 'runReadout', intersect: false },
        scales: this.scales(metric),
        onHover: (event) => {
          // Outside the plot (over the legend) the legend's own hover decides.
          const { top, bottom, left, right } = chart.chartArea;
          if (!this.interactions || event.x === null || event.y === null || event.y < top || event.y > bottom || event.x < left || event.x > right) return;
          // A drag zooms: finding the line under the pointer on every move would only slow it down.
          if (((event.native as MouseEvent | null)?.buttons ?? 0) !== 0) return;
          const runId = lineNear(chart, event.x, event.y);
          this.highlight(runId);
          this.interactions.onHighlight?.(runId);
        },
        plugins: {
          legend: this.legend(),
          tooltip: readoutTooltip(
            () => this.store.xAxis,
            (runId, index) => this.datasets.runs.get(runId)?.lines[metric].data[index]?.y,
          ),
          ...this.interactions?.pluginOptions((zoomed) => {
            if (zoomed) this.zoomed.add(metric);
            else this.zoomed.delete(metric);
            // Decimated for the new window: a zoom shows the detail the whole range left out.
            this.redecimate(metric);
            chart.update('none');
            markCurvePoints(chart);
            markXRange(chart);
            this.onZoomChange?.(metric, zoomed);
            this.syncSteps();
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
    readoutKeeps.set(chart, (runId) => this.store.isHighlighted(runId));
    markCurvePoints(chart);
    return chart;
  }

  private scales(metric: MetricKey) {
    return curveScales(this.theme, metric, this.store.xAxis, this.store.isLog(metric), () => this.zoomed.has(metric));
  }

  private legend() {
    const keeper = { toggle: (loss: string) => this.toggleLoss(loss), isHidden: (loss: string) => this.store.isLossHidden(loss) };
    const losses = groupLegend(this.datasets.lossOf, (loss) => this.colour(loss), this.theme, this.interactions ? keeper : undefined);
    // After the loss settings' colours, which dash is which model.
    const legend = {
      ...losses,
      labels: {
        ...losses.labels,
        generateLabels: (chart: Chart) => [...losses.labels.generateLabels(chart), ...modelLegendItems(this.store.models, (m) => this.store.modelDash(m), this.theme.foreground)],
      },
    };
    if (!this.interactions) return legend;
    // Hovering a loss setting's entry highlights its runs, as hovering a run's line does.
    return {
      ...legend,
      onHover: (_e: unknown, item: LegendItem) => this.highlight(this.store.runsOf(item.text)),
      onLeave: () => this.highlight(undefined),
    };
  }

  /** A legend click: the loss setting's runs all hidden, or all shown when they were. */
  private toggleLoss(lossLabel: string): void {
    const { runIds, hide } = this.store.toggleLoss(lossLabel);
    this.applyVisibility();
    this.interactions?.onLossToggled?.(runIds, hide);
  }

  /** A new run in the store and its lines in the charts; the second seed of a setting brings the band. */
  private addRun(view: RunView): CurveRun {
    const run = this.store.add(view);
    const push = (m: MetricKey, ...sets: LineDataset[]) => this.charts[m].data.datasets.push(...sets.filter((d) => this.store.smoothing > 0 || !lineOwner.get(d)?.smoothed));
    this.datasets.addRun(view, push);
    const group = this.store.groupOf(run);
    if (group.runIds.length === 2) this.datasets.addBands(run.group, group, push);
    return run;
  }

  /**
   * The moving averages are in the charts while smoothing is on only: each dataset costs Chart.js
   * its options and state, even empty. Drawn by their order, they can go last.
   */
  private placeSmoothed(): void {
    for (const m of METRICS) {
      const smoothed = new Set<object>([...this.datasets.runs.values()].map((r) => r.smooth[m]));
      const others = this.charts[m].data.datasets.filter((d) => !smoothed.has(d));
      this.charts[m].data.datasets = this.store.smoothing > 0 ? [...others, ...(smoothed as Set<LineDataset>)] : others;
    }
  }

  /** The run's points on the current x axis, then what the charts draw of them. */
  private refreshLines(run: CurveRun, metrics: readonly MetricKey[] = METRICS): void {
    const { full } = this.datasets.runs.get(run.view.runId)!;
    const shown = this.shown.filter(metrics);
    for (const m of shown) full[m] = this.store.points(run, m);
    this.decimateLines(run, shown);
  }

  /**
   * Each of the run's curves decimated to its chart's width (and zoomed window), and the moving
   * average of all its points on the same points, so the read-out pairs a smoothed value with
   * the recorded one; none while smoothing is off.
   */
  private decimateLines(run: CurveRun, metrics: readonly MetricKey[] = METRICS): void {
    const { full, lines, kept } = this.datasets.runs.get(run.view.runId)!;
    for (const m of this.shown.filter(metrics)) {
      const indices = minMaxIndices(full[m], this.buckets(m), this.window(m));
      // A line kept whole draws its points' own array, and needs no list of their indices.
      kept[m] = indices.length === full[m].length ? undefined : indices;
      lines[m].data = pickShared(full[m], indices);
    }
    this.smoothLines(run, metrics);
  }

  /** The run's moving averages on the points its lines were decimated to. */
  private smoothLines(run: CurveRun, metrics: readonly MetricKey[]): void {
    const { full, lines, smooth, kept } = this.datasets.runs.get(run.view.runId)!;
    for (const m of this.shown.filter(metrics)) {
      const average = this.store.smoothing > 0 ? emaSmooth(full[m], this.store.smoothing) : [];
      smooth[m].data = kept[m] ? pick(average, kept[m]) : average;
      // A line needs two points; a lone one is drawn as a point, or it would not show at all.
      smooth[m].pointRadius = smooth[m].data.length === 1 ? 2 : 0;
      // Dense step points would cover the line with dots.
      lines[m].pointRadius = full[m].length > 60 ? 0 : 2;
      this.datasets.style(lines[m]);
    }
  }

  /** A chart shown after it was hidden: every run's lines and every band, on what the store holds now. */
  private catchUp(metric: MetricKey): void {
    for (const run of this.store.runs.values()) this.refreshLines(run, [metric]);
    for (const key of this.store.groups.keys()) this.refreshBand(key, [metric]);
  }

  /** Decimates one chart's curves and bands again (its width or window changed). */
  private redecimate(metric: MetricKey): void {
    for (const run of this.store.runs.values()) this.decimateLines(run, [metric]);
    for (const key of this.store.groups.keys()) this.refreshBand(key, [metric]);
  }

  /** Buckets of two pixels: min and max of each keep a line about one point per pixel. */
  private buckets(metric: MetricKey): number {
    const chart = this.charts?.[metric];
    const width = chart?.chartArea?.width || chart?.width || 600;
    return Math.max(50, Math.ceil(width / 2));
  }

  /** The zoomed x window of a chart; undefined for the whole range. */
  private window(metric: MetricKey): XRange | undefined {
    if (!this.zoomed.has(metric)) return undefined;
    const x = this.charts[metric].scales.x;
    return x ? { min: x.min, max: x.max } : undefined;
  }

  /** A group's band over its shown runs, from all their points, decimated as the lines are. */
  private refreshBand(key: string, metrics: readonly MetricKey[] = METRICS): void {
    const bands = this.datasets.bands.get(key);
    if (!bands) return;
    const shown = this.store.groups.get(key)!.runIds.filter((id) => !this.store.isHidden(id));
    for (const m of this.shown.filter(metrics)) {
      const band = bandOf(
        shown.map((id) => this.datasets.runs.get(id)!.full[m]),
        this.store.isLog(m),
      );
      const buckets = this.buckets(m);
      const window = this.window(m);
      const kept = unionIndices(minMaxIndices(band.lower, buckets, window), minMaxIndices(band.upper, buckets, window));
      bands[m].lower.data = pickShared(band.lower, kept);
      bands[m].upper.data = pickShared(band.upper, kept);
    }
  }

  /** Redraws at the next frame the runs whose steps changed (a hidden panel draws when shown again). */
  private drawSoon(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      const groups = new Set<string>();
      for (const run of this.stale) {
        if (this.store.runs.get(run.view.runId) !== run) continue;
        this.refreshLines(run);
        groups.add(run.group);
      }
      this.stale.clear();
      for (const key of groups) this.refreshBand(key);
      this.draw();
    });
  }

  /** Runs `change` and draws once after it, however many draws it asks for (opening an experiment asks three). */
  batch(change: () => void): void {
    const outer = !this.batching;
    this.batching = true;
    try {
      change();
    } finally {
      if (outer) {
        this.batching = false;
        this.draw();
      }
    }
  }

  /**
   * Updates and draws these charts (all by default). `restyled`: the datasets' colours changed, which
   * update('none') would leave on the points as they were (Chart.js shares one resolved style among a line's points).
   */
  private draw(metrics: readonly MetricKey[] = METRICS, restyled = false): void {
    if (this.batching) return;
    const { count, stepsPerEpoch } = this.store.stepRuns();
    for (const metric of this.shown.filter(metrics)) {
      if (this.shown.catchUp(metric)) this.catchUp(metric);
      const chart = this.charts[metric];
      // Before the first epoch an accuracy axis shows 0–100 %, not Chart.js' empty 0–1.
      const empty = chart.data.datasets.every((d) => d.data.length === 0);
      const y = chart.options.scales?.y;
      if (y && !this.isLog(metric)) Object.assign(y, empty && isAccuracy(metric) ? { min: 0, max: 100 } : { min: undefined, max: undefined });
      const x = chart.options.scales?.x;
      // A zoomed chart keeps the range someone chose; the others follow the runs.
      if (x && !this.zoomed.has(metric)) Object.assign(x, curveXRange(this.store.xAxis, this.store.lastEpoch, stepsPerEpoch, count > 0));
      const legend = chart.options.plugins?.legend;
      const position = legendPosition(this.store.lossCount);
      if (legend) legend.position = position;
      chart.update(restyled ? undefined : 'none');
      markCurvePoints(chart);
      markXRange(chart);
      chart.canvas.setAttribute('data-x-axis', this.store.xAxis);
      chart.canvas.setAttribute('data-legend', position);
    }
  }
}
