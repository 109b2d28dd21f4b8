import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { experimentDirOf, UnsafePathError } from '../../../src/core/results/paths';

test('experimentDirOf: one folder inside the output folder, nothing that escapes it', () => {
  const root = path.resolve('/tmp/out');
  assert.equal(experimentDirOf('/tmp/out', 'quick'), path.join(root, 'quick'));
  assert.equal(experimentDirOf('/tmp/out/', '.hidden'), path.join(root, '.hidden'));
  for (const name of ['..', '.', '', '../x', 'a/b', 'a\\b', '/etc', 'a/..']) {
    assert.throws(() => experimentDirOf('/tmp/out', name), UnsafePathError, name);
  }
});
