import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import schema from '../../../schemas/experiment.schema.json';
import { datasetLabel, expandGrid, LOSS_OPTION_DEFAULTS, lossKey, lossLabel, modelLabel } from '../../../src/core/config/grid';
import type { LossConfig } from '../../../src/core/config/types';
import { parseConfigText, validateConfig } from '../../../src/core/config/validate';

const paper = () => parseConfigText(readFileSync('examples/paper-cifar100.losslab.json', 'utf8'));

test('the grid is models × losses × seeds, models outermost', () => {
  const runs = expandGrid(paper());
  assert.equal(runs.length, 3 * 8 * 3);
  assert.deepEqual(
    runs.slice(0, 4).map((r) => r.runId),
    ['vgg16-w1__ce__seed1', 'vgg16-w1__ce__seed2', 'vgg16-w1__ce__seed3', 'vgg16-w1__am-softmax-s7.5-m0.35__seed1'],
  );
  assert.equal(runs[runs.length - 1].runId, 'resnet50-w1__scaled-bn-m1__seed3');
  assert.equal(new Set(runs.map((r) => r.runId)).size, runs.length);
  for (const r of runs) assert.match(r.runId, /^[A-Za-z0-9._-]+$/);
});

test('each run spec is complete and owns its objects', () => {
  const cfg = validateConfig({ name: 'g', dataset: { name: 'mnist' }, models: [{ name: 'resnet18', width: 0.25 }], losses: [{ name: 'scaled-bn', m: 0.9 }], seeds: [1, 2] });
  const [a, b] = expandGrid(cfg);
  assert.equal(a.runId, 'resnet18-w0.25__scaled-bn-m0.9__seed1');
  assert.equal(a.modelLabel, 'ResNet-18 ×0.25');
  assert.equal(a.lossLabel, 'Scaled-BN m=0.9');
  assert.deepEqual(a.model, { name: 'resnet18', width: 0.25 });
  assert.equal(a.experiment, 'g');
  assert.equal(a.threads, 1);
  assert.equal(a.backend, 'auto');
  a.training.lr = 1;
  assert.equal(b.training.lr, 0.1);
  assert.equal(cfg.training.lr, 0.1);
});

test('loss and model labels follow the paper', () => {
  assert.equal(lossLabel({ name: 'ce' }), 'CE');
  assert.equal(lossLabel({ name: 'am-softmax', s: 7.5, m: 0.35 }), 'AM-Softmax s=7.5 m=0.35');
  assert.equal(lossLabel({ name: 'pedcc', s: 7.5, m: 0.35 }), 'PEDCC s=7.5 m=0.35');
  assert.equal(lossLabel({ name: 'scaled-bn', m: 0.9, eval: 'running', momentum: 0.1, eps: 1e-5 }), 'Scaled-BN m=0.9');
  assert.equal(lossLabel({ name: 'scaled-bn', m: 0.9, eval: 'batch' }), 'Scaled-BN m=0.9 eval=batch');
  assert.equal(lossLabel({ name: 'pedcc', s: 10, m: 0.5, embedDim: 128 }), 'PEDCC s=10 m=0.5 d=128');
  assert.equal(lossLabel({ name: 'pedcc', s: 10, m: 0.5, distance: 'sum', embedBn: true }), 'PEDCC s=10 m=0.5');
  assert.equal(lossLabel({ name: 'pedcc', s: 10, m: 0.5, distance: 'mean', embedBn: false }), 'PEDCC s=10 m=0.5 distance=mean no embed BN');
  assert.equal(lossKey({ name: 'pedcc', s: 10, m: 0.5, embedDim: 64, distance: 'mean', embedBn: false }), 'pedcc-s10-m0.5-d64-dist-mean-nobn');
  assert.equal(modelLabel({ name: 'resnet18' }), 'ResNet-18');
  assert.equal(modelLabel({ name: 'resnet18', width: 1 }), 'ResNet-18');
  assert.equal(modelLabel({ name: 'vgg16', width: 0.5 }), 'VGG-16 ×0.5');
  assert.equal(modelLabel({ name: 'simple-cnn' }), 'Simple CNN');
  assert.equal(datasetLabel({ name: 'cifar100', labels: 'coarse' }), 'CIFAR-100 (coarse)');
  assert.equal(datasetLabel({ name: 'image-folder', path: 'data/birds/' }), 'birds');
});

test('non-default loss options make distinct run ids', () => {
  const cfg = validateConfig({
    name: 'g',
    dataset: { name: 'mnist' },
    models: [{ name: 'simple-cnn' }],
    losses: [
      { name: 'scaled-bn', m: 0.9 },
      { name: 'scaled-bn', m: 0.9, eval: 'batch', momentum: 0.01 },
    ],
    seeds: [1],
  });
  assert.deepEqual(
    expandGrid(cfg).map((r) => r.runId),
    ['simple-cnn-w1__scaled-bn-m0.9__seed1', 'simple-cnn-w1__scaled-bn-m0.9-eval-batch-mom0.01__seed1'],
  );
});

test('the defaults grid.ts leaves out of ids are the schema defaults', () => {
  const branch = schema.definitions.loss.allOf.find((b) => b.if.properties.name.const === 'scaled-bn')!;
  const props = branch.then.properties as unknown as Record<string, { default?: unknown }>;
  for (const [field, value] of Object.entries(LOSS_OPTION_DEFAULTS['scaled-bn'])) assert.equal(props[field].default, value, field);
});

test('the margin and calibration losses have short labels and folder-safe keys; options away from their defaults show', () => {
  const cases: [LossConfig, string, string][] = [
    [{ name: 'arcface', s: 16, m: 0.5 }, 'ArcFace s=16 m=0.5', 'arcface-s16-m0.5'],
    [{ name: 'arcface', s: 16, m: 0.5, easyMargin: true }, 'ArcFace s=16 m=0.5 easy margin', 'arcface-s16-m0.5-easy'],
    [{ name: 'cosface', s: 7.5, m: 0.35 }, 'CosFace s=7.5 m=0.35', 'cosface-s7.5-m0.35'],
    [{ name: 'normface', s: 16 }, 'NormFace s=16', 'normface-s16'],
    [{ name: 'label-smoothing', epsilon: 0.1 }, 'Label smoothing ε=0.1', 'label-smoothing-e0.1'],
    [{ name: 'focal', gamma: 2 }, 'Focal γ=2', 'focal-g2'],
    [{ name: 'focal', gamma: 2, alpha: [0.25, 1] }, 'Focal γ=2 α=0.25,1', 'focal-g2-a0.25_1'],
    [{ name: 'center', lambda: 0.003 }, 'Center loss λ=0.003', 'center-l0.003'],
    [{ name: 'center', lambda: 0.003, alpha: 0.5 }, 'Center loss λ=0.003', 'center-l0.003'],
    [{ name: 'center', lambda: 0.003, alpha: 0.1 }, 'Center loss λ=0.003 α=0.1', 'center-l0.003-a0.1'],
  ];
  for (const [loss, label, key] of cases) {
    assert.equal(lossLabel(loss), label);
    assert.equal(lossKey(loss), key);
    assert.match(key, /^[A-Za-z0-9._-]+$/);
  }
});
