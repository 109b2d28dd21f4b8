/**
 * What the training-curve charts show, without drawing it: each run's points, its group of seeds,
 * which runs are hidden, focused or highlighted, the colour and dash each loss setting and model
 * keeps, and how someone set the charts up. No DOM, no Chart.js.
 */
import type { EpochMetrics, StepPoint } from '../src/core/results/types';
import type { CurveXAxis, RunSnapshot, RunView, StepInfo } from '../src/protocol/webview';
import { colourOrder, colourValue, DEFAULT_COLOUR_BY } from './colourBy';
import { colourIndex, groupKey, isLogScale, type MetricKey, type Point } from './series';
import { curvePoints, stepsPerEpochOf, upsertStep } from './xAxis';

/** How someone set the charts up (kept in the webview state across reloads). */
export interface CurveViewOptions {
  /** EMA weight, 0 (off) to below 1. */
  smoothing?: number;
  /** Charts switched from their default y axis: true = log scale. */
  logAxes?: Partial<Record<MetricKey, boolean>>;
  /** The x axis of all four charts. */
  xAxis?: CurveXAxis;
  /** What the lines are coloured and grouped by (webview/colourBy.ts); the loss setting by default. */
  colourBy?: string;
  /** The run drawn in every chart, grey and dashed, to compare the others with. */
  baseline?: string;
}

export interface CurveRun {
  view: RunView;
  /** Its group's key: the runs that differ only by seed. */
  group: string;
  metrics: EpochMetrics[];
  steps: StepPoint[];
  /** Step points the host left out of `init`: `steps` holds those asked for, decimated, or none. */
  stepInfo?: StepInfo;
}

export interface CurveGroup {
  lossLabel: string;
  runIds: string[];
}

export class CurveStore {
  readonly runs = new Map<string, CurveRun>();
  readonly groups = new Map<string, CurveGroup>();
  smoothing: number;
  readonly logAxes: Partial<Record<MetricKey, boolean>>;
  xAxis: CurveXAxis;
  colourBy: string;
  baseline: string | undefined;
  /** The last epoch any run plans or has reached: the end of the epoch axis. */
  lastEpoch = 1;
  /** Runs someone unticked in the run list. */
  private hidden = new Set<string>();
  /** Compare Runs: while non-empty, only these runs are drawn (the run list's ticks stay as they are). */
  private focus = new Set<string>();
  private highlighted = new Set<string>();
  private groupColours = new Map<string, number>();
  private modelDashes = new Map<string, number>();

  constructor(options: CurveViewOptions = {}) {
    this.smoothing = options.smoothing ?? 0;
    this.logAxes = { ...options.logAxes };
    this.xAxis = options.xAxis ?? 'epoch';
    this.colourBy = options.colourBy ?? DEFAULT_COLOUR_BY;
    this.baseline = options.baseline;
  }

  /**
   * Forgets every run; the epoch axis starts from these runs, colours and dashes from `colourFrom`
   * (these runs by default; the report's charts of one model: the whole experiment's, so a loss
   * keeps its colour in every model's charts).
   */
  reset(runs: readonly RunSnapshot[], colourFrom: readonly RunView[] = runs): void {
    this.runs.clear();
    this.groups.clear();
    this.groupColours = colourOrder(colourFrom, this.colourBy);
    this.modelDashes = colourIndex(colourFrom.map((r) => r.modelLabel));
    this.lastEpoch = Math.max(1, ...runs.map((r) => Math.max(r.epochs, r.metrics.at(-1)?.epoch ?? 0)));
  }

  /** A new run, with no points yet, in its group of seeds. */
  add(view: RunView): CurveRun {
    const run: CurveRun = { view, group: groupKey(view), metrics: [], steps: [] };
    this.runs.set(view.runId, run);
    const members = this.groups.get(run.group) ?? { lossLabel: view.lossLabel, runIds: [] };
    members.runIds.push(view.runId);
    this.groups.set(run.group, members);
    return run;
  }

  groupOf(run: CurveRun): CurveGroup {
    return this.groups.get(run.group)!;
  }

  /** A run plans this many epochs; true when the epoch axis grows. */
  planEpochs(epochs: number): boolean {
    const longer = epochs > this.lastEpoch;
    this.lastEpoch = Math.max(this.lastEpoch, epochs);
    return longer;
  }

  addEpoch(run: CurveRun, metrics: EpochMetrics): void {
    // A resumed run redoes epochs: the later ones go.
    run.metrics = [...run.metrics.filter((m) => m.epoch < metrics.epoch), metrics];
    this.lastEpoch = Math.max(this.lastEpoch, metrics.epoch);
  }

  addStep(run: CurveRun, point: StepPoint): void {
    upsertStep(run.steps, point);
  }

  /** The run's points in one chart, on the current x axis. */
  points(run: CurveRun, metric: MetricKey): Point[] {
    return curvePoints(run.metrics, run.steps, metric, this.xAxis, stepsPerEpochOf(run.steps) ?? run.stepInfo?.stepsPerEpoch);
  }

  setSmoothing(weight: number): void {
    this.smoothing = Math.min(Math.max(weight, 0), 0.99);
  }

  isLog(metric: MetricKey): boolean {
    return this.logAxes[metric] ?? isLogScale(metric);
  }

  /** How many runs have no step points (on the step axis they have no step to sit at). */
  get runsWithoutSteps(): number {
    return [...this.runs.values()].filter((r) => r.steps.length === 0 && !r.stepInfo && r.metrics.length > 0).length;
  }

  /** The runs whose step points the host left out, to ask for when a chart can show them. */
  get leftOutSteps(): string[] {
    return [...this.runs.values()].filter((r) => r.stepInfo).map((r) => r.view.runId);
  }

  /** The runs that recorded step points, and the steps per epoch of the first of them. */
  stepRuns(): { count: number; stepsPerEpoch: number | undefined } {
    const withSteps = [...this.runs.values()].filter((r) => r.steps.length > 0 || r.stepInfo);
    return { count: withSteps.length, stepsPerEpoch: withSteps.length ? (stepsPerEpochOf(withSteps[0].steps) ?? withSteps[0].stepInfo?.stepsPerEpoch) : undefined };
  }

  setHidden(runIds: Iterable<string>): void {
    this.hidden = new Set(runIds);
  }

  setFocus(runIds: readonly string[]): void {
    this.focus = new Set(runIds);
  }

  isHidden(runId: string): boolean {
    if (runId === this.baseline && this.runs.has(runId)) return false;
    return this.hidden.has(runId) || (this.focus.size > 0 && !this.focus.has(runId));
  }

  /** The runs of one colour group (a legend entry). */
  runsOf(group: string): string[] {
    return [...this.runs.values()].filter((r) => this.colourGroupOf(r.view) === group).map((r) => r.view.runId);
  }

  /** A run's colour group under the current colour-by field. */
  colourGroupOf(view: RunView): string {
    return colourValue(view, this.colourBy);
  }

  /** Colours and groups the lines by another field; each of its values gets its place in the palette. */
  setColourBy(key: string): void {
    this.colourBy = key;
    this.groupColours = colourOrder(
      [...this.runs.values()].map((r) => r.view),
      key,
    );
  }

  /** Every run of the colour group is hidden (its legend entry is struck through). */
  isLossHidden(group: string): boolean {
    const ids = this.runsOf(group);
    return ids.length > 0 && ids.every((id) => this.isHidden(id));
  }

  /** A legend click: the group's runs all hidden, or all shown when they were. */
  toggleLoss(group: string): { runIds: string[]; hide: boolean } {
    const ids = this.runsOf(group);
    const hide = !ids.every((id) => this.hidden.has(id));
    this.setHidden(hide ? [...this.hidden, ...ids] : [...this.hidden].filter((id) => !ids.includes(id)));
    return { runIds: ids, hide };
  }

  /** These runs bold, every other faint (none: all as usual); false when that is already so. */
  setHighlighted(runIds: readonly string[]): boolean {
    if (runIds.length === this.highlighted.size && runIds.every((id) => this.highlighted.has(id))) return false;
    this.highlighted = new Set(runIds);
    return true;
  }

  isHighlighted(runId: string): boolean {
    return this.highlighted.has(runId);
  }

  get anyHighlighted(): boolean {
    return this.highlighted.size > 0;
  }

  /** The models of the runs, each drawn with its own dash. */
  get models(): string[] {
    return [...new Set([...this.runs.values()].map((r) => r.view.modelLabel))];
  }

  /** How many loss settings the charts tell apart (the legend's entries). */
  get lossCount(): number {
    return new Set([...this.runs.values()].map((r) => r.view.lossLabel)).size;
  }

  /** A colour group's place in the palette, the same in every chart and in the run list. */
  groupColour(group: string): number {
    if (!this.groupColours.has(group)) this.groupColours.set(group, this.groupColours.size);
    return this.groupColours.get(group)!;
  }

  /** A model's place among the dash patterns. */
  modelDash(modelLabel: string): number {
    if (!this.modelDashes.has(modelLabel)) this.modelDashes.set(modelLabel, this.modelDashes.size);
    return this.modelDashes.get(modelLabel)!;
  }
}
