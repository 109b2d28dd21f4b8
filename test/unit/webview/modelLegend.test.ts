import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelLegendItems } from '../../../webview/modelLegend';
import { MODEL_DASHES } from '../../../webview/series';

test('each model gets a legend entry drawn with its own dash, in dash order; one model gets none', () => {
  const dash = new Map([
    ['simple-cnn', 0],
    ['resnet18', 1],
    ['vgg16', 2],
  ]);
  const items = modelLegendItems(['vgg16', 'simple-cnn', 'resnet18'], (m) => dash.get(m)!, '#ccc');
  assert.deepEqual(
    items.map((i) => [i.text, i.lineDash]),
    [
      ['simple-cnn', []],
      ['resnet18', [6, 3]],
      ['vgg16', [2, 2]],
    ],
  );
  assert.deepEqual(MODEL_DASHES[1], [6, 3]);
  assert.deepEqual(
    modelLegendItems(['simple-cnn'], () => 0, '#ccc'),
    [],
  );
});
