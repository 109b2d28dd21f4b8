import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShownCharts } from '../../../webview/shownCharts';

/** Canvases whose figure is shown or hidden: a canvas under display: none has no offset parent. */
function page(shown: Record<string, boolean>) {
  const canvas = (key: string) => ({ offsetParent: shown[key] ? {} : null }) as unknown as HTMLCanvasElement;
  return { canvasOf: canvas, shown };
}

test('the panel works on the shown charts only; a hidden one falls behind and catches up once, when it shows', () => {
  const { canvasOf, shown } = page({ loss: true, lr: false });
  const charts = new ShownCharts(canvasOf, ['loss', 'lr'], () => undefined, true);
  assert.deepEqual(charts.filter(['loss', 'lr']), ['loss']);
  assert.equal(charts.catchUp('loss'), false);
  shown.lr = true;
  assert.deepEqual(charts.filter(['loss', 'lr']), ['loss', 'lr']);
  assert.equal(charts.catchUp('lr'), true);
  assert.equal(charts.catchUp('lr'), false);
});

test('the report counts every chart as shown', () => {
  const { canvasOf } = page({ loss: true, lr: false });
  const charts = new ShownCharts(canvasOf, ['loss', 'lr'], () => undefined, false);
  assert.deepEqual(charts.filter(['loss', 'lr']), ['loss', 'lr']);
  assert.equal(charts.catchUp('lr'), false);
});
