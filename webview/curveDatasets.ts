/**
 * The Chart.js datasets behind the curves: per run and chart its recorded line and its moving
 * average, per group of seeds a mean ± std band, each coloured by its colour group (the loss
 * setting unless someone picked another field) and dashed by its model; the baseline run grey
 * and dashed. A highlight is not a style: the charts draw it over the datasets (highlightLayer.ts).
 */
import type { ChartDataset } from 'chart.js';
import type { RunView } from '../src/protocol/webview';
import { bandLower } from './curveController';
import { lineOwner } from './curveReadout';
import type { CurveGroup, CurveStore } from './curveStore';
import { METRICS, MODEL_DASHES, type MetricKey, type Point } from './series';
import { withAlpha, type Theme } from './theme';
import { panelRunTitle } from '../src/core/results/runTitle';

export type LineDataset = ChartDataset<'line', Point[]>;

/** The baseline's dash: unlike every model's, so it never reads as one of the compared runs. */
const BASELINE_DASH = [12, 4];

export interface RunLines {
  /** Every point on the current x axis; `lines` and `smooth` draw a decimated few of them. */
  full: Record<MetricKey, Point[]>;
  /** The points as recorded; drawn faint behind `smooth` while smoothing is on. */
  lines: Record<MetricKey, LineDataset>;
  /** The moving average of `lines`; empty while smoothing is off. */
  smooth: Record<MetricKey, LineDataset>;
  /** The indices into `full` that `lines` and `smooth` draw; undefined: all of them. */
  kept: Record<MetricKey, number[] | undefined>;
}

export type BandLines = Record<MetricKey, { lower: LineDataset; upper: LineDataset }>;

/** Where new datasets go: the chart of their metric. */
type Push = (metric: MetricKey, ...datasets: LineDataset[]) => void;

export class CurveDatasets {
  /** Per run id. */
  readonly runs = new Map<string, RunLines>();
  /** Per group key, once the group has two runs. */
  readonly bands = new Map<string, BandLines>();
  /** Dataset → colour group (its legend entry), for the legend and for restyling. */
  readonly lossOf = new WeakMap<object, string>();
  private readonly bandSets = new WeakSet<object>();
  private readonly rawSets = new WeakSet<object>();

  constructor(
    private readonly store: CurveStore,
    private readonly theme: () => Theme,
  ) {}

  clear(): void {
    this.runs.clear();
    this.bands.clear();
  }

  /** A colour group's colour, the same in every chart and in the run list; the baseline's is the theme's muted grey. */
  colour(group: string): string {
    const theme = this.theme();
    if (group === this.baselineLabel()) return theme.muted;
    return theme.palette[this.store.groupColour(group) % theme.palette.length];
  }

  /** The legend entry a run's lines belong to. */
  labelOf(view: RunView): string {
    return view.runId === this.store.baseline ? this.baselineLabel()! : this.store.colourGroupOf(view);
  }

  /** The baseline's legend entry; undefined without one. */
  private baselineLabel(): string | undefined {
    const run = this.store.baseline === undefined ? undefined : this.store.runs.get(this.store.baseline);
    return run ? `baseline: ${panelRunTitle(run.view)}` : undefined;
  }

  /** Every dataset back in its group after the colour-by field or the baseline changed, and restyled. */
  regroup(): void {
    for (const [runId, { lines, smooth }] of this.runs) {
      const label = this.labelOf(this.store.runs.get(runId)!.view);
      for (const m of METRICS) for (const d of [lines[m], smooth[m]]) this.lossOf.set(d, label);
    }
    for (const [key, bands] of this.bands) {
      const first = this.store.runs.get(this.store.groups.get(key)!.runIds[0])!.view;
      for (const m of METRICS) for (const d of [bands[m].lower, bands[m].upper]) this.lossOf.set(d, this.store.colourGroupOf(first));
    }
    for (const { lines, smooth } of this.runs.values()) for (const m of METRICS) for (const d of [lines[m], smooth[m]]) this.style(d);
    for (const bands of this.bands.values()) for (const m of METRICS) for (const d of [bands[m].lower, bands[m].upper]) this.style(d);
  }

  /** A run's two lines in each chart, styled and handed to `push`. */
  addRun(view: RunView, push: Push): RunLines {
    const theme = this.theme();
    const lines = {} as Record<MetricKey, LineDataset>;
    const smooth = {} as Record<MetricKey, LineDataset>;
    const label = panelRunTitle(view);
    for (const m of METRICS) {
      const line: LineDataset = {
        label,
        data: [],
        borderWidth: theme.highContrast ? 2.5 : 1.5,
        borderDash: MODEL_DASHES[this.store.modelDash(view.modelLabel) % MODEL_DASHES.length],
        pointRadius: 2,
        fill: false,
        order: 1,
        hidden: this.store.isHidden(view.runId),
      };
      const smoothed: LineDataset = { ...line, label: `${label} (smoothed)`, data: [], pointRadius: 0, order: 0 };
      this.rawSets.add(line);
      lineOwner.set(line, { runId: view.runId, label, smoothed: false });
      lineOwner.set(smoothed, { runId: view.runId, label, smoothed: true });
      for (const d of [line, smoothed]) {
        this.lossOf.set(d, this.labelOf(view));
        this.style(d);
      }
      push(m, line, smoothed);
      lines[m] = line;
      smooth[m] = smoothed;
    }
    const full = Object.fromEntries(METRICS.map((m) => [m, [] as Point[]])) as Record<MetricKey, Point[]>;
    const kept = Object.fromEntries(METRICS.map((m) => [m, undefined])) as Record<MetricKey, number[] | undefined>;
    const entry = { full, lines, smooth, kept };
    this.runs.set(view.runId, entry);
    return entry;
  }

  /** A group's band in each chart: its upper edge's dataset, filled down to the lower edge it carries (curveController.ts). */
  addBands(key: string, group: CurveGroup, push: Push): void {
    const bands = {} as BandLines;
    const colourGroup = this.store.colourGroupOf(this.store.runs.get(group.runIds[0])!.view);
    for (const m of METRICS) {
      const common = { data: [] as Point[], borderWidth: 0, pointRadius: 0, pointHitRadius: 0, order: 2 };
      const lower: LineDataset = { ...common, label: `${group.lossLabel} mean − std`, fill: false };
      const upper: LineDataset = { ...common, label: `${group.lossLabel} mean + std`, fill: false };
      bandLower.set(upper, lower);
      bands[m] = { lower, upper };
      for (const d of [lower, upper]) {
        this.lossOf.set(d, colourGroup);
        this.bandSets.add(d);
      }
      push(m, upper);
    }
    this.bands.set(key, bands);
    for (const m of METRICS) for (const d of [bands[m].lower, bands[m].upper]) this.style(d);
  }

  /** Colours a dataset from the current theme (lines solid, bands translucent). */
  style(d: LineDataset): void {
    const loss = this.lossOf.get(d);
    if (loss === undefined) return;
    const theme = this.theme();
    const colour = this.colour(loss);
    const owner = lineOwner.get(d);
    if (this.bandSets.has(d)) {
      d.borderColor = 'transparent';
      d.backgroundColor = withAlpha(colour, theme.highContrast ? 0.35 : 0.18);
    } else if (this.rawSets.has(d) && this.store.smoothing > 0) {
      // Behind the smoothed line, as TensorBoard draws it.
      d.borderColor = withAlpha(colour, theme.highContrast ? 0.45 : 0.25);
      d.backgroundColor = d.borderColor;
    } else {
      d.borderColor = colour;
      d.backgroundColor = d.borderColor;
    }
    if (owner) {
      d.borderWidth = theme.highContrast ? 2.5 : 1.5;
      const baseline = owner.runId === this.store.baseline;
      d.borderDash = baseline ? BASELINE_DASH : MODEL_DASHES[this.store.modelDash(this.store.runs.get(owner.runId)?.view.modelLabel ?? '') % MODEL_DASHES.length];
    }
  }
}
