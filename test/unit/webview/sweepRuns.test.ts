import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunView } from '../../../src/protocol/webview';
import { SweepRunsView } from '../../../webview/sweepRuns';

/** Writes down what each draw would draw from. */
class Recorder extends SweepRunsView {
  readonly drawn: { runId: string; acc?: number }[][] = [];
  protected draw(): void {
    this.drawn.push(this.inputs().map(({ runId, acc }) => ({ runId, acc })));
  }
}

const view = (runId: string, finalAcc?: number) => ({ runId, lossLabel: 'CE', modelLabel: 'CNN', finalAcc }) as unknown as RunView;

test('reset replaces the runs, update replaces one by id or adds it, each draws from them all with accuracy in percent', () => {
  const v = new Recorder();
  v.reset([view('a', 0.5), view('b')]);
  v.update(view('b', 0.25));
  v.update(view('c', 1));
  v.reset([view('d', 0.75)]);
  assert.deepEqual(v.drawn, [
    [
      { runId: 'a', acc: 50 },
      { runId: 'b', acc: undefined },
    ],
    [
      { runId: 'a', acc: 50 },
      { runId: 'b', acc: 25 },
    ],
    [
      { runId: 'a', acc: 50 },
      { runId: 'b', acc: 25 },
      { runId: 'c', acc: 100 },
    ],
    [{ runId: 'd', acc: 75 }],
  ]);
});
