// The results watcher looks only under the results folders: never a workspace-wide
// `**/status.json`, which would fire on every project that has such files and nothing of ours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { experimentOfResultFile, isInside, RESULT_FILES, resultsPattern } from '../../../../src/extension/results/watchPatterns';

test('a results folder inside the workspace is watched through the workspace folder, under its own path only', () => {
  const ws = path.resolve('/ws');
  assert.deepEqual(resultsPattern(path.join(ws, '.losslab', 'runs'), ws), { base: ws, glob: `.losslab/runs/**/${RESULT_FILES}` });
  assert.deepEqual(resultsPattern(path.resolve('/elsewhere/results'), ws), { base: path.resolve('/elsewhere/results'), glob: `**/${RESULT_FILES}` });
  assert.deepEqual(resultsPattern(path.resolve('/r'), undefined), { base: path.resolve('/r'), glob: `**/${RESULT_FILES}` });
  for (const p of [resultsPattern(path.join(ws, 'out'), ws), resultsPattern(path.join(ws, 'a', 'b'), ws)]) assert.doesNotMatch(p.glob, /^\*\*/, 'never the whole workspace');
});

test('the run files the results view reads are all watched, dataset.json and steps.jsonl too', () => {
  for (const f of ['status.json', 'metrics.jsonl', 'summary.json', 'experiment.json', 'dataset.json', 'steps.jsonl']) assert.ok(RESULT_FILES.includes(f), f);
});

test('isInside: the folder itself and anything below, not a sibling with the same prefix', () => {
  assert.ok(isInside(path.resolve('/r/exp'), path.resolve('/r')));
  assert.ok(isInside(path.resolve('/r'), path.resolve('/r')));
  assert.ok(!isInside(path.resolve('/runs2/exp'), path.resolve('/runs')));
});

test("search.json is watched and belongs to the experiment folder it lies in, as a run's files belong to their run's experiment", () => {
  assert.ok(RESULT_FILES.includes('search.json'));
  const exp = path.resolve('/r/exp');
  assert.equal(experimentOfResultFile(path.join(exp, 'search.json')), exp);
  assert.equal(experimentOfResultFile(path.join(exp, 'experiment.json')), exp);
  assert.equal(experimentOfResultFile(path.join(exp, 'simple-cnn__ce__trial3', 'metrics.jsonl')), exp);
});
