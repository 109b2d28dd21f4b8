// A panel per experiment: opening another experiment makes a second panel instead of replacing the
// first; opening one again finds its panel; `single` mode switches the last panel shown instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelSet } from '../../../../src/extension/results/panelSet';

test('each experiment (or set compared) has its own panel, found again whatever the order or spelling', () => {
  const set = new PanelSet<string>();
  assert.equal(set.find(['/r/a'], 'perExperiment'), undefined);
  set.shows('panel A', ['/r/a']);
  assert.equal(set.find(['/r/b'], 'perExperiment'), undefined, 'B gets a panel of its own: A stays');
  set.shows('panel B', ['/r/b']);
  set.shows('panel AB', ['/r/a', '/r/b']);
  assert.equal(set.find(['/r/a'], 'perExperiment'), 'panel A');
  assert.equal(set.find(['/r/x/../b/'], 'perExperiment'), 'panel B');
  assert.equal(set.find(['/r/b', '/r/a'], 'perExperiment'), 'panel AB');
  assert.deepEqual(set.all, ['panel A', 'panel B', 'panel AB']);
});

test('single mode switches the panel last shown; a closed panel is forgotten', () => {
  const set = new PanelSet<string>();
  set.shows('one', ['/r/a']);
  set.shows('two', ['/r/b']);
  assert.equal(set.find(['/r/c'], 'single'), 'two');
  assert.equal(set.find(['/r/a'], 'single'), 'one', 'the panel that shows it, before the last');
  set.remove('two');
  assert.equal(set.lastShown, 'one');
  assert.equal(set.find(['/r/b'], 'perExperiment'), undefined);
  set.remove('one');
  assert.equal(set.find(['/r/c'], 'single'), undefined);
});
