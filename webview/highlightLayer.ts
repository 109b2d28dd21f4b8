/**
 * A highlight drawn over a chart's finished datasets instead of restyling all of them: a veil of
 * the page's background over the plot (a line under a veil of opacity 1 − a looks as the line
 * drawn at opacity a), then the highlighted runs' lines again, twice as wide. Drawing takes any
 * 2D context, so tests record what it draws.
 */

/** How visible the other runs stay while some are highlighted. */
const FAINT = 0.2;

export interface DrawnPoint {
  x: number;
  y: number;
  /** Chart.js' mark for a point with no value (a gap in the line). */
  skip?: boolean;
}

export interface LitLine {
  points: readonly DrawnPoint[];
  colour: string;
  width: number;
  dash: readonly number[];
  /** Drawn as dots too (a line of few points). */
  pointRadius: number;
}

export interface Area {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

type Context = Pick<CanvasRenderingContext2D, 'save' | 'restore' | 'beginPath' | 'rect' | 'clip' | 'fillRect' | 'moveTo' | 'lineTo' | 'stroke' | 'arc' | 'fill' | 'setLineDash'> & {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  globalAlpha: number;
};

/** The unbroken stretches of a line: a skipped point ends one; a stretch of one point is kept (drawn as a dot). */
export function polylines(points: readonly DrawnPoint[]): DrawnPoint[][] {
  const runs: DrawnPoint[][] = [];
  let current: DrawnPoint[] = [];
  for (const p of points) {
    if (p.skip || !Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      if (current.length) runs.push(current);
      current = [];
    } else current.push(p);
  }
  if (current.length) runs.push(current);
  return runs;
}

/** The veil of colour `veil` over `area`, then each lit line, clipped to `area`. */
export function drawHighlight(ctx: Context, area: Area, veil: string, lines: readonly LitLine[]): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
  ctx.clip();
  ctx.globalAlpha = 1 - FAINT;
  ctx.fillStyle = veil;
  ctx.fillRect(area.left, area.top, area.right - area.left, area.bottom - area.top);
  ctx.globalAlpha = 1;
  for (const line of lines) {
    ctx.strokeStyle = ctx.fillStyle = line.colour;
    ctx.lineWidth = line.width;
    ctx.setLineDash([...line.dash]);
    for (const stretch of polylines(line.points)) {
      ctx.beginPath();
      stretch.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
      ctx.stroke();
    }
    if (line.pointRadius > 0) {
      ctx.setLineDash([]);
      for (const p of polylines(line.points).flat()) {
        ctx.beginPath();
        ctx.arc(p.x, p.y, line.pointRadius, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  }
  ctx.restore();
}
