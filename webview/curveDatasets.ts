/**
 * The Chart.js datasets behind the curves: per run and chart its recorded line and its moving
 * average, per group of seeds a mean ± std band, each coloured by its loss setting and dashed by
 * its model; with runs highlighted, the others faint.
 */
import type { ChartDataset } from 'chart.js';
import type { RunView } from '../src/protocol/webview';
import { lineOwner } from './curveReadout';
import type { CurveGroup, CurveStore } from './curveStore';
import { METRICS, MODEL_DASHES, type MetricKey, type Point } from './series';
import { withAlpha, type Theme } from './theme';
import { panelRunTitle } from '../src/core/results/runTitle';

export type LineDataset = ChartDataset<'line', Point[]>;

export interface RunLines {
  /** The points as recorded; drawn faint behind `smooth` while smoothing is on. */
  lines: Record<MetricKey, LineDataset>;
  /** The moving average of `lines`; empty while smoothing is off. */
  smooth: Record<MetricKey, LineDataset>;
}

export type BandLines = Record<MetricKey, { lower: LineDataset; upper: LineDataset }>;

/** Where new datasets go: the chart of their metric. */
type Push = (metric: MetricKey, ...datasets: LineDataset[]) => void;

export class CurveDatasets {
  /** Per run id. */
  readonly runs = new Map<string, RunLines>();
  /** Per group key, once the group has two runs. */
  readonly bands = new Map<string, BandLines>();
  /** Dataset → loss label, for the legend and for restyling. */
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

  /** A loss setting's colour, the same in every chart and in the run list. */
  colour(lossLabel: string): string {
    const palette = this.theme().palette;
    return palette[this.store.lossColour(lossLabel) % palette.length];
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
        this.lossOf.set(d, view.lossLabel);
        this.style(d);
      }
      push(m, line, smoothed);
      lines[m] = line;
      smooth[m] = smoothed;
    }
    const entry = { lines, smooth };
    this.runs.set(view.runId, entry);
    return entry;
  }

  /** A group's band in each chart. Its two datasets go in together: the upper one fills down to the one before it. */
  addBands(key: string, group: CurveGroup, push: Push): void {
    const bands = {} as BandLines;
    for (const m of METRICS) {
      const common = { data: [] as Point[], borderWidth: 0, pointRadius: 0, pointHitRadius: 0, order: 2 };
      const lower: LineDataset = { ...common, label: `${group.lossLabel} mean − std`, fill: false };
      const upper: LineDataset = { ...common, label: `${group.lossLabel} mean + std`, fill: '-1' };
      bands[m] = { lower, upper };
      for (const d of [lower, upper]) {
        this.lossOf.set(d, group.lossLabel);
        this.bandSets.add(d);
      }
      push(m, lower, upper);
    }
    this.bands.set(key, bands);
    for (const m of METRICS) for (const d of [bands[m].lower, bands[m].upper]) this.style(d);
  }

  /** Colours a dataset from the current theme (lines solid, bands translucent; with a run highlighted, the others faint). */
  style(d: LineDataset): void {
    const loss = this.lossOf.get(d);
    if (loss === undefined) return;
    const theme = this.theme();
    const colour = this.colour(loss);
    const owner = lineOwner.get(d);
    const lit = owner !== undefined && this.store.isHighlighted(owner.runId);
    const dimmed = this.store.anyHighlighted && !lit;
    const width = theme.highContrast ? 2.5 : 1.5;
    if (this.bandSets.has(d)) {
      d.borderColor = 'transparent';
      d.backgroundColor = withAlpha(colour, (theme.highContrast ? 0.35 : 0.18) * (this.store.anyHighlighted ? 0.4 : 1));
    } else if (this.rawSets.has(d) && this.store.smoothing > 0) {
      // Behind the smoothed line, as TensorBoard draws it.
      d.borderColor = withAlpha(colour, (theme.highContrast ? 0.45 : 0.25) * (dimmed ? 0.4 : 1));
      d.backgroundColor = d.borderColor;
    } else {
      d.borderColor = dimmed ? withAlpha(colour, 0.2) : colour;
      d.backgroundColor = d.borderColor;
    }
    if (owner) d.borderWidth = lit ? width * 2 : width;
  }
}
