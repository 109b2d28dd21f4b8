/**
 * Chart.js' line controller without an element per point. Chart.js keeps a PointElement, its
 * options and its context for every point even at radius 0: at 72 runs that is half the page's
 * heap, and updating them is most of an update. This controller keeps the points in the dataset
 * (the scales, the tooltip and the legend read them there, as before) and strokes each line, band
 * and dot itself, with the styles Chart.js resolved for the dataset. Elements exist only for the
 * points the read-out hovers (curveReadout.ts makes them).
 */
import { LineController, PointElement, type Chart, type ChartDataset, type LineElement, type LineOptions, type Scale } from 'chart.js';
import { traceBand, traceLine, type ToPixel } from './curvePaths';
import type { Point } from './series';

/** The chart type of the curve charts; its datasets are styled as 'line' ones. */
export const CURVE_TYPE = 'lossLabCurve';

/** The same look as a dataset's points would have: one element drawn at each place. */
const dot = new PointElement({});

/**
 * A band's upper edge → the dataset of its lower edge, which stays out of the chart: the band is
 * one dataset, filled between its edges (a second would cost Chart.js its state for nothing drawn).
 */
export const bandLower = new WeakMap<object, { data: Point[] }>();

/** A scale's value → pixel. */
export const pixelOf =
  (scale: Scale): ToPixel =>
  (v) =>
    scale.getPixelForValue(v);

export class CurveController extends LineController {
  static override id = CURVE_TYPE;
  static override defaults = { ...LineController.defaults };
  static overrides = (LineController as unknown as { overrides: object }).overrides;

  // Chart.js' hooks that create and remove the per-point elements: the parsed points stay the data itself (`parsing: false`).
  _resyncElements(): void {
    Object.assign(this, { _syncList: [] });
    this._cachedMeta.data.length = 0;
    this.parse(0, this.getDataset().data.length);
  }

  _insertElements(): void {
    this.parse(0, this.getDataset().data.length);
  }

  _removeElements(): void {
    this.parse(0, this.getDataset().data.length);
  }

  /** The data's range on a scale, a band's lower edge included. */
  override getMinMax(scale: Scale, canStack?: boolean): { min: number; max: number } {
    const range = super.getMinMax(scale, canStack);
    const lower = bandLower.get(this.getDataset());
    if (!lower || scale !== this._cachedMeta.vScale) return range;
    for (const { y } of lower.data) {
      if (!Number.isFinite(y)) continue;
      range.min = Math.min(range.min, y);
      range.max = Math.max(range.max, y);
    }
    return range;
  }

  /** As Chart.js' own: the first and last points' size, so their dots are not clipped at the plot's edge. */
  protected override getMaxOverflow(): number {
    const border = Number((this._cachedMeta.dataset?.options as Partial<LineOptions> | undefined)?.borderWidth ?? 0);
    const count = this.getDataset().data.length;
    if (count === 0 || !this.dotStyle()) return border;
    const size = (i: number) => dot.size(this.resolveDataElementOptions(i, 'default'));
    return Math.max(border, size(0), size(count - 1)) / 2;
  }

  override draw(): void {
    const meta = this._cachedMeta;
    const { ctx } = this.chart;
    const line = meta.dataset as LineElement | undefined;
    if (!line || !meta.xScale || !meta.yScale) return;
    const options = line.options;
    const dataset = this.getDataset() as ChartDataset<'line', Point[]>;
    const toX = pixelOf(meta.xScale);
    const toY = pixelOf(meta.yScale);
    const lower = bandLower.get(dataset)?.data;
    if (lower) {
      ctx.save();
      ctx.fillStyle = options.backgroundColor;
      ctx.beginPath();
      traceBand(ctx, lower, dataset.data, toX, toY);
      ctx.fill();
      ctx.restore();
    }
    if (options.borderWidth > 0) {
      ctx.save();
      ctx.lineCap = options.borderCapStyle;
      ctx.setLineDash(options.borderDash ?? []);
      ctx.lineDashOffset = options.borderDashOffset;
      ctx.lineJoin = options.borderJoinStyle;
      ctx.lineWidth = options.borderWidth;
      ctx.strokeStyle = options.borderColor;
      ctx.beginPath();
      traceLine(ctx, dataset.data, toX, toY);
      ctx.stroke();
      ctx.restore();
    }
    this.drawDots(dataset.data, toX, toY);
  }

  /** The style the line's dots are drawn in, as Chart.js resolves it for its points now; undefined where none are drawn (radius 0). */
  dotStyle(): PointElement['options'] | undefined {
    const { pointRadius } = this.getDataset() as ChartDataset<'line'>;
    if (pointRadius === 0) return undefined;
    const options = this.resolveDataElementOptions(0, 'default') as PointElement['options'];
    return options.radius >= 0.1 ? options : undefined;
  }

  /** The points' dots where the dataset has a radius, then the hovered ones (larger), on top as Chart.js draws them. */
  private drawDots(points: readonly Point[], toX: ToPixel, toY: ToPixel): void {
    const { ctx, chartArea } = this.chart;
    const options = points.length > 0 ? this.dotStyle() : undefined;
    if (options) {
      dot.options = options;
      for (const p of points) {
        Object.assign(dot, { x: toX(p.x), y: toY(p.y), skip: !Number.isFinite(p.x) || !Number.isFinite(p.y) });
        dot.draw(ctx, chartArea);
      }
    }
    drawHovered(this.chart, this.index);
  }
}

/** The hovered points (the read-out's rows), of one dataset or all. */
export function drawHovered(chart: Chart, datasetIndex?: number): void {
  for (const active of chart.getActiveElements()) if (datasetIndex === undefined || active.datasetIndex === datasetIndex) (active.element as PointElement).draw(chart.ctx, chart.chartArea);
}
