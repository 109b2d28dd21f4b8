// search.json read back: absent is no search, damaged costs the Tuning section one warning line and nothing else.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readExperiment } from '../../../src/core/results/runReader';
import { readSearchRecord } from '../../../src/core/search/readSearch';
import { SEARCH_FILE } from '../../../src/core/search/record';
import { searchRecord, writeSearchExperiment } from '../../fixtures/searchExperiment';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-search-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('a well-formed search.json is read as written', () => {
  const dir = writeSearchExperiment(root, 'whole');
  const warnings: string[] = [];
  assert.deepEqual(readSearchRecord(dir, warnings), searchRecord());
  assert.deepEqual(warnings, []);
  const experiment = readExperiment(dir);
  assert.deepEqual(experiment.search, searchRecord());
  assert.equal(experiment.runs.length, 4 + 3 + 2 + 2, 'seven trials and four final runs');
});

test('no search.json: no search and no warning', () => {
  const dir = path.join(root, 'plain');
  fs.mkdirSync(dir);
  const warnings: string[] = [];
  assert.equal(readSearchRecord(dir, warnings), undefined);
  assert.deepEqual(warnings, []);
  assert.equal(readExperiment(dir).search, undefined);
});

test('a damaged search.json: one warning line naming the file, and the runs are read all the same', () => {
  const cases: [string, string][] = [
    ['truncated', JSON.stringify(searchRecord()).slice(0, 200)],
    ['another version', JSON.stringify({ ...searchRecord(), version: 2 })],
    ['a study that is not one', JSON.stringify({ ...searchRecord(), studies: [1] })],
    ['a trial without rungs', JSON.stringify({ ...searchRecord(), studies: [{ ...searchRecord().studies[0], trials: [{ ...searchRecord().studies[0].trials[0], rungs: undefined }] }] })],
    ['a trial state nobody writes', JSON.stringify({ ...searchRecord(), studies: [{ ...searchRecord().studies[0], trials: [{ ...searchRecord().studies[0].trials[0], state: 'done' }] }] })],
  ];
  for (const [what, text] of cases) {
    const dir = writeSearchExperiment(root, `damaged-${what.replace(/\W+/g, '-')}`);
    fs.writeFileSync(path.join(dir, SEARCH_FILE), text);
    const experiment = readExperiment(dir);
    assert.equal(experiment.search, undefined, what);
    assert.equal(experiment.warnings.length, 1, `${what}: ${experiment.warnings.join(' | ')}`);
    assert.match(experiment.warnings[0], /^search\.json: damaged .*; the Tuning section is left out$/, what);
    assert.ok(!experiment.warnings[0].includes('\n'), 'one line');
    assert.equal(experiment.runs.length, 11, `${what}: the runs still read`);
  }
});
