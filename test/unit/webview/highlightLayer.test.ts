import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawHighlight, polylines } from '../../../webview/highlightLayer';

test('a drawn line breaks into stretches at skipped and non-finite points', () => {
  const p = (x: number, y: number, skip = false) => ({ x, y, skip });
  assert.deepEqual(polylines([p(0, 0), p(1, 1), p(2, 2, true), p(3, 3), p(4, NaN), p(5, 5)]), [[p(0, 0), p(1, 1)], [p(3, 3)], [p(5, 5)]]);
  assert.deepEqual(polylines([]), []);
});

/** A 2D context that writes down each call and the state it was made in. */
function recorder() {
  const ops: string[] = [];
  const ctx = {
    fillStyle: '' as unknown,
    strokeStyle: '' as unknown,
    lineWidth: 1,
    globalAlpha: 1,
    dash: [] as number[],
    save: () => ops.push('save'),
    restore: () => ops.push('restore'),
    beginPath: () => ops.push('beginPath'),
    rect: (x: number, y: number, w: number, h: number) => ops.push(`rect ${x} ${y} ${w} ${h}`),
    clip: () => ops.push('clip'),
    fillRect: (x: number, y: number, w: number, h: number) => ops.push(`fillRect ${x} ${y} ${w} ${h} ${String(ctx.fillStyle)} alpha ${ctx.globalAlpha}`),
    moveTo: (x: number, y: number) => ops.push(`moveTo ${x} ${y}`),
    lineTo: (x: number, y: number) => ops.push(`lineTo ${x} ${y}`),
    stroke: () => ops.push(`stroke ${String(ctx.strokeStyle)} width ${ctx.lineWidth} dash ${ctx.dash.join(',')} alpha ${ctx.globalAlpha}`),
    arc: (x: number, y: number, r: number) => ops.push(`arc ${x} ${y} ${r}`),
    fill: () => ops.push(`fill ${String(ctx.fillStyle)}`),
    setLineDash: (d: number[]) => void (ctx.dash = d),
  };
  return { ctx, ops };
}

test('the plot is veiled so other runs show at the faint opacity, then the lit run is drawn over it, gaps kept', () => {
  const { ctx, ops } = recorder();
  const area = { left: 10, top: 5, right: 110, bottom: 55 };
  const points = [
    { x: 10, y: 50 },
    { x: 20, y: 40 },
    { x: 30, y: NaN, skip: true },
    { x: 40, y: 20 },
    { x: 50, y: 10 },
  ];
  drawHighlight(ctx, area, '#1e1e1e', [{ points, colour: '#3794ff', width: 3, dash: [6, 3], pointRadius: 0 }]);
  assert.deepEqual(ops, [
    'save',
    'beginPath',
    'rect 10 5 100 50',
    'clip',
    'fillRect 10 5 100 50 #1e1e1e alpha 0.8',
    'beginPath',
    'moveTo 10 50',
    'lineTo 20 40',
    'stroke #3794ff width 3 dash 6,3 alpha 1',
    'beginPath',
    'moveTo 40 20',
    'lineTo 50 10',
    'stroke #3794ff width 3 dash 6,3 alpha 1',
    'restore',
  ]);
});

test('a lit line of few points gets its dots too, solid', () => {
  const { ctx, ops } = recorder();
  drawHighlight(ctx, { left: 0, top: 0, right: 10, bottom: 10 }, 'white', [{ points: [{ x: 1, y: 2 }], colour: 'red', width: 3, dash: [4, 4], pointRadius: 2 }]);
  assert.deepEqual(ops.slice(-4), ['beginPath', 'arc 1 2 2', 'fill red', 'restore']);
});
