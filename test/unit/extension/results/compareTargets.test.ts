import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparePlan, experimentDirsOf, runRefsOf } from '../../../../src/extension/results/compareTargets';
import { compareCountProblem, COMPARE_RUNS } from '../../../../src/extension/results/selectionLimit';

const runNode = (experimentDir: string, runId: string) => ({ kind: 'run', experimentDir, run: { runId }, label: runId });
const experimentNode = (dir: string) => ({ kind: 'experiment', dir });

test('Compare Runs takes 2 to 4 runs, and says which way a count is wrong', () => {
  assert.deepEqual(COMPARE_RUNS, { min: 2, max: 4 });
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(compareCountProblem), ['too-few', 'too-few', undefined, undefined, undefined, 'too-many']);
});

test("the tree's selection: every selected run node, else the clicked one; anything else is no runs", () => {
  const a = runNode('/r/exp', 'a');
  const b = runNode('/r/exp', 'b');
  assert.deepEqual(runRefsOf(a, [a, b]), [
    { experimentDir: '/r/exp', runId: 'a' },
    { experimentDir: '/r/exp', runId: 'b' },
  ]);
  assert.deepEqual(runRefsOf(a, undefined), [{ experimentDir: '/r/exp', runId: 'a' }]);
  assert.deepEqual(runRefsOf('/r/exp', ['a', 'b']), [], 'a folder and run ids (the API) are not tree runs');
  assert.deepEqual(runRefsOf(experimentNode('/r/exp'), [experimentNode('/r/exp')]), []);
  assert.deepEqual(runRefsOf(a, [a, experimentNode('/r/exp')]), [], 'a mixed selection is not a set of runs');
});

test('experiment folders from paths, experiment nodes or run nodes, each once', () => {
  assert.deepEqual(experimentDirsOf(['/r/a', '/r/b', '/r/a/'], undefined), ['/r/a', '/r/b']);
  assert.deepEqual(experimentDirsOf(experimentNode('/r/a'), [experimentNode('/r/a'), experimentNode('/r/b'), runNode('/r/c', 'x')]), ['/r/a', '/r/b', '/r/c']);
  assert.deepEqual(experimentDirsOf('/r/a', undefined), ['/r/a']);
  assert.deepEqual(experimentDirsOf(undefined, undefined), []);
});

test('runs of one experiment keep their ids; runs of several go to a combined panel under combined ids', () => {
  assert.deepEqual(
    comparePlan([
      { experimentDir: '/r/a', runId: 'x' },
      { experimentDir: '/r/a', runId: 'y' },
    ]),
    { dirs: ['/r/a'], runIds: ['x', 'y'] },
  );
  assert.deepEqual(
    comparePlan([
      { experimentDir: '/r/b', runId: 'x' },
      { experimentDir: '/r/a', runId: 'x' },
      { experimentDir: '/r/b', runId: 'y' },
    ]),
    { dirs: ['/r/b', '/r/a'], runIds: ['b/x', 'a/x', 'b/y'] },
  );
});
