import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hiddenRunIds, matchesFilter, runText } from '../../../webview/runList';

const run = (runId: string, lossLabel: string, modelLabel: string, seed: number) => ({ runId, lossLabel, modelLabel, seed });
const runs = [run('vgg16__ce__seed1', 'CE', 'VGG-16', 1), run('vgg16__ce__seed2', 'CE', 'VGG-16', 2), run('resnet18__scaled-bn-m0.9__seed1', 'Scaled-BN m=0.9', 'ResNet-18', 1)];

test('the filter matches every word, in any order, ignoring case; empty matches all', () => {
  assert.ok(matchesFilter(runText(runs[2]), 'scaled resnet'));
  assert.ok(matchesFilter(runText(runs[2]), 'RESNET-18 Scaled'));
  assert.ok(!matchesFilter(runText(runs[2]), 'scaled vgg'));
  assert.ok(matchesFilter(runText(runs[0]), 'seed1'), 'the run id is searched too');
  assert.ok(matchesFilter(runText(runs[0]), '   '));
});

test('hidden runs: those unticked and those the filter leaves out', () => {
  assert.deepEqual(hiddenRunIds(runs, new Set(), ''), []);
  assert.deepEqual(hiddenRunIds(runs, new Set(['vgg16__ce__seed2']), ''), ['vgg16__ce__seed2']);
  assert.deepEqual(hiddenRunIds(runs, new Set(), 'ce'), ['resnet18__scaled-bn-m0.9__seed1']);
  assert.deepEqual(hiddenRunIds(runs, new Set(['vgg16__ce__seed1']), 'vgg'), ['vgg16__ce__seed1', 'resnet18__scaled-bn-m0.9__seed1']);
});

test('while Compare Runs draws some runs, the others count as hidden, ticked or not', () => {
  const runs = [
    { runId: 'a', lossLabel: 'CE', modelLabel: 'VGG-16', seed: 1 },
    { runId: 'b', lossLabel: 'CE', modelLabel: 'VGG-16', seed: 2 },
    { runId: 'c', lossLabel: 'Scaled-BN m=0.9', modelLabel: 'VGG-16', seed: 1 },
  ];
  assert.deepEqual(hiddenRunIds(runs, new Set(), '', new Set(['a', 'c'])), ['b']);
  assert.deepEqual(hiddenRunIds(runs, new Set(['a']), '', new Set(['a', 'c'])), ['a', 'b'], 'an unticked focused run stays hidden');
  assert.deepEqual(hiddenRunIds(runs, new Set(), 'scaled', new Set(['a', 'c'])), ['a', 'b']);
  assert.deepEqual(hiddenRunIds(runs, new Set(), '', new Set()), [], 'no focus: every run');
});
