import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { chartImageBytes, defaultChartPath } from '../../../../src/extension/results/chartImage';
import { parseFromWebview } from '../../../../src/protocol/webview';

test('a PNG from the panel is written as the bytes it encodes', () => {
  // An independent encoder's 2 × 1 image, as the canvas' toDataURL would send it.
  const png = new PNG({ width: 2, height: 1 });
  png.data.set([255, 0, 0, 255, 0, 0, 255, 255]);
  const bytes = PNG.sync.write(png);
  const written = chartImageBytes('png', `data:image/png;base64,${bytes.toString('base64')}`);
  assert.ok(written.equals(bytes));
  const back = PNG.sync.read(written);
  assert.deepEqual([back.width, back.height, ...back.data.subarray(0, 4)], [2, 1, 255, 0, 0, 255]);
});

test('anything else is refused with what is wrong, before a file is asked for', () => {
  assert.throws(() => chartImageBytes('png', 'data:image/jpeg;base64,/9j/'), /not a PNG \(expected a data:image\/png;base64 URL/);
  assert.throws(() => chartImageBytes('png', `data:image/png;base64,${Buffer.from('GIF89a not a png').toString('base64')}`), /lack the PNG signature/);
  assert.throws(() => chartImageBytes('svg', '<html><svg></svg></html>'), /not an SVG document/);
  assert.equal(chartImageBytes('svg', '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n').toString('utf8'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n');
});

test('chart data: JSON must parse, CSV must not be empty; both written as sent', () => {
  assert.equal(chartImageBytes('json', '{"series":[]}').toString('utf8'), '{"series":[]}');
  assert.throws(() => chartImageBytes('json', '{"series":'), /not JSON/);
  assert.equal(chartImageBytes('csv', 'run,x,y\na,1,2\n').toString('utf8'), 'run,x,y\na,1,2\n');
  assert.throws(() => chartImageBytes('csv', '  \n'), /empty \(expected CSV\)/);
  assert.equal(defaultChartPath('/runs/quick', 'test-accuracy', 'csv'), path.join('/runs/quick', 'quick-test-accuracy.csv'));
});

test('a chart is saved beside the table by default: <experiment>/<name>-<chart>.<format>', () => {
  assert.equal(defaultChartPath('/runs/quick', 'train-loss', 'svg'), path.join('/runs/quick', 'quick-train-loss.svg'));
});

test('the saveChart message: a format, a chart name fit for a file name, and the data', () => {
  const ok = { type: 'saveChart', requestId: 1000000, format: 'svg', chart: 'train-loss', data: '<svg></svg>' };
  assert.deepEqual(parseFromWebview(ok), ok);
  for (const bad of [
    { ...ok, format: 'jpg' },
    { ...ok, chart: '../../etc/passwd' },
    { ...ok, chart: 'Train Loss' },
    { ...ok, data: 3 },
    { ...ok, requestId: 'x' },
  ]) {
    assert.equal(parseFromWebview(bad), null, JSON.stringify(bad));
  }
});
