// The sweep chart's data model: accuracy against each swept value, mean ± std over seeds, a line per setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelWithout, sweepCharts, type SweepRunInput } from '../../../src/core/results/sweepSeries';
import type { SweepValue } from '../../../src/core/config/types';
import { parseToWebview } from '../../../src/protocol/webview';

const m = (value: number): SweepValue => ({ scope: 'loss', field: 'm', value });
const lr = (value: number): SweepValue => ({ scope: 'training', field: 'lr', value });
const run = (runId: string, lossLabel: string, sweep: SweepValue[] | undefined, acc: number | undefined): SweepRunInput => ({ runId, lossLabel, modelLabel: 'Simple CNN', sweep, acc });

test('a setting label loses exactly the one swept value', () => {
  assert.equal(labelWithout('Scaled-BN m=0.8', m(0.8)), 'Scaled-BN');
  assert.equal(labelWithout('Scaled-BN m=0.8 · lr=0.1', m(0.8)), 'Scaled-BN · lr=0.1');
  assert.equal(labelWithout('Scaled-BN m=0.8 · lr=0.1', lr(0.1)), 'Scaled-BN m=0.8');
  assert.equal(labelWithout('AM-Softmax s=7.5 m=0.35', m(0.35)), 'AM-Softmax s=7.5');
  assert.equal(labelWithout('Center loss λ=0.01', { scope: 'loss', field: 'lambda', value: 0.01 }), 'Center loss');
});

test('one chart per swept field: mean ± sample std over seeds per value, and a flat reference for a loss without the field', () => {
  const runs = [
    run('ce1', 'CE', undefined, 90),
    run('ce2', 'CE', undefined, 92),
    run('a1', 'Scaled-BN m=0.9', [m(0.9)], 91),
    run('a2', 'Scaled-BN m=0.9', [m(0.9)], 93),
    run('b1', 'Scaled-BN m=0.5', [m(0.5)], 80),
    run('b2', 'Scaled-BN m=0.5', [m(0.5)], 84),
    run('c1', 'Scaled-BN m=0.7', [m(0.7)], 88),
    run('c2', 'Scaled-BN m=0.7', [m(0.7)], undefined), // not finished: left out
  ];
  const charts = sweepCharts(runs);
  assert.equal(charts.length, 1);
  const [chart] = charts;
  assert.equal(chart.key, 'loss:m');
  assert.equal(chart.xLabel, 'm');
  assert.deepEqual(chart.xs, [0.5, 0.7, 0.9]);
  assert.deepEqual(chart.lines, [
    { label: 'CE', points: [], reference: { mean: 91, std: Math.SQRT2, n: 2, values: [90, 92], runIds: ['ce1', 'ce2'] } },
    {
      label: 'Scaled-BN',
      points: [
        { x: 0.5, mean: 82, std: 2 * Math.SQRT2, n: 2, values: [80, 84], runIds: ['b1', 'b2'] },
        { x: 0.7, mean: 88, std: 0, n: 1, values: [88], runIds: ['c1'] },
        { x: 0.9, mean: 92, std: Math.SQRT2, n: 2, values: [91, 93], runIds: ['a1', 'a2'] },
      ],
    },
  ]);
});

test('two swept fields give two charts; each line holds the other field fixed; several models are named', () => {
  const runs: SweepRunInput[] = [];
  for (const model of ['Simple CNN', 'VGG-16'])
    for (const mv of [0.8, 0.9])
      for (const lv of [0.05, 0.1]) runs.push({ runId: `${model}-${mv}-${lv}`, lossLabel: `Scaled-BN m=${mv} · lr=${lv}`, modelLabel: model, sweep: [m(mv), lr(lv)], acc: 100 * mv + 100 * lv });
  const charts = sweepCharts(runs);
  assert.deepEqual(
    charts.map((c) => [c.key, c.xs, c.lines.map((l) => [l.label, l.points.map((p) => [p.x, Math.round(p.mean)])])]),
    [
      [
        'loss:m',
        [0.8, 0.9],
        [
          [
            'Simple CNN: Scaled-BN · lr=0.05',
            [
              [0.8, 85],
              [0.9, 95],
            ],
          ],
          [
            'Simple CNN: Scaled-BN · lr=0.1',
            [
              [0.8, 90],
              [0.9, 100],
            ],
          ],
          [
            'VGG-16: Scaled-BN · lr=0.05',
            [
              [0.8, 85],
              [0.9, 95],
            ],
          ],
          [
            'VGG-16: Scaled-BN · lr=0.1',
            [
              [0.8, 90],
              [0.9, 100],
            ],
          ],
        ],
      ],
      [
        'training:lr',
        [0.05, 0.1],
        [
          [
            'Simple CNN: Scaled-BN m=0.8',
            [
              [0.05, 85],
              [0.1, 90],
            ],
          ],
          [
            'Simple CNN: Scaled-BN m=0.9',
            [
              [0.05, 95],
              [0.1, 100],
            ],
          ],
          [
            'VGG-16: Scaled-BN m=0.8',
            [
              [0.05, 85],
              [0.1, 90],
            ],
          ],
          [
            'VGG-16: Scaled-BN m=0.9',
            [
              [0.05, 95],
              [0.1, 100],
            ],
          ],
        ],
      ],
    ],
  );
  assert.equal(charts[1].xLabel, 'training.lr');
});

test('no sweep, no chart', () => {
  assert.deepEqual(sweepCharts([run('ce1', 'CE', undefined, 90)]), []);
});

test("a run's sweep values cross to the panel; malformed ones are refused", () => {
  const view = { runId: 'r', lossLabel: 'Scaled-BN m=0.8', modelLabel: 'Simple CNN', datasetLabel: '', seed: 1, state: 'done', epoch: 3, epochs: 3, stateText: 'done' };
  assert.ok(parseToWebview({ type: 'runState', ...view, sweep: [m(0.8), lr(0.1)] }));
  assert.equal(parseToWebview({ type: 'runState', ...view, sweep: [{ scope: 'model', field: 'm', value: 0.8 }] }), null);
  assert.equal(parseToWebview({ type: 'runState', ...view, sweep: [{ scope: 'loss', field: 'm', value: '0.8' }] }), null);
});
