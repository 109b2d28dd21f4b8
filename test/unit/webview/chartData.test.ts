import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartCsv, chartJson, smoothingNote, type ChartData } from '../../../webview/chartData';

const data: ChartData = {
  title: 'Test accuracy (%)',
  x: 'epoch',
  y: 'test accuracy (%)',
  values: smoothingNote(0.6),
  series: [
    {
      id: 'ce-s1',
      label: 'CE, "quick" · seed 1',
      points: [
        { x: 1, y: 50.5 },
        { x: 2, y: 0.1 + 0.2 },
      ],
    },
    { id: 'sbn-s1', label: 'Scaled-BN m=0.9', points: [{ x: 1, y: NaN }] },
  ],
};

test('CSV: the header says which values, then one quoted-where-needed row per point', () => {
  assert.equal(
    chartCsv(data),
    [
      '# Test accuracy (%)',
      '# x: epoch; y: test accuracy (%); values: EMA-smoothed (weight 0.6), as drawn',
      'id,label,epoch,test accuracy (%)',
      'ce-s1,"CE, ""quick"" · seed 1",1,50.5',
      'ce-s1,"CE, ""quick"" · seed 1",2,0.3',
      'sbn-s1,Scaled-BN m=0.9,1,',
      '',
    ].join('\n'),
  );
  assert.match(smoothingNote(0), /^recorded \(no smoothing\)/);
});

test('JSON: the same fields, points as [x, y], a non-finite y as null', () => {
  const back = JSON.parse(chartJson(data));
  assert.deepEqual(back, {
    title: 'Test accuracy (%)',
    x: 'epoch',
    y: 'test accuracy (%)',
    values: 'EMA-smoothed (weight 0.6), as drawn',
    series: [
      {
        id: 'ce-s1',
        label: 'CE, "quick" · seed 1',
        points: [
          [1, 50.5],
          [2, 0.1 + 0.2],
        ],
      },
      { id: 'sbn-s1', label: 'Scaled-BN m=0.9', points: [[1, null]] },
    ],
  });
});
