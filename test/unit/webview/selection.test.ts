import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSelection, noDiagnosticsText, pickStyles } from '../../../webview/selection';

test('default comparison: CE next to a scaled-BN run, among finished runs only', () => {
  const run = (runId: string, [lossName, lossLabel]: [string, string], hasDiagnostics = true) => ({ runId, lossName, lossLabel, hasDiagnostics });
  const ce: [string, string] = ['ce', 'CE'];
  const sbn: [string, string] = ['scaled-bn', 'Scaled-BN m=0.9'];
  const am: [string, string] = ['am-softmax', 'AM-Softmax s=7.5 m=0.35'];
  assert.deepEqual(defaultSelection([run('a', am), run('b', sbn), run('c', ce)]), ['c', 'b']);
  assert.deepEqual(defaultSelection([run('a', ce), run('b', ce), run('c', sbn, false)]), ['a']);
  assert.deepEqual(defaultSelection([run('a', ce), run('b', am)]), ['a', 'b']);
  assert.deepEqual(defaultSelection([run('a', ['pedcc', 'PEDCC s=7.5 m=0.35'])]), ['a']);
  assert.deepEqual(defaultSelection([run('a', ce, false)]), []);
});

test('empty logit and weight-norm boxes say when they fill, or what to do when no run will finish', () => {
  assert.match(noDiagnosticsText(['running', 'queued', 'done']), /when it finishes \(2 runs queued or training\)/);
  const stuck = noDiagnosticsText(['stopped', 'failed', 'not-started']);
  assert.match(stuck, /No run finished/);
  assert.match(stuck, /Resume a stopped or failed run/);
  assert.match(noDiagnosticsText([]), /Run the experiment/);
});

test('a picked run has its loss setting’s colour, as in the curves; a second seed of the same loss is dashed', () => {
  const colours = new Map([
    ['CE', 0],
    ['Scaled-BN m=0.9', 1],
  ]);
  assert.deepEqual(pickStyles([{ lossLabel: 'Scaled-BN m=0.9' }], colours), [{ colourIndex: 1, dashed: false }], 'Open Run on a scaled-BN run: not the first palette colour');
  assert.deepEqual(pickStyles([{ lossLabel: 'CE' }, { lossLabel: 'CE' }], colours), [
    { colourIndex: 0, dashed: false },
    { colourIndex: 0, dashed: true },
  ]);
});
