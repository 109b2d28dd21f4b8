// A config problem carries the range to underline: the whole wrong value, the whole
// unknown key, or the key naming an object that lacks something; found with jsonc-parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/core/config/configError';
import { parseConfigText } from '../../../src/core/config/validate';

const TEXT = [
  '{',
  '  "name": "ranges",',
  '  "dataset": { "name": "mnist", "trainSubset": -12.5 },',
  '  "models": [{ "name": "simple-cnn" }],',
  '  "losses": [{ "name": "scaled-bn" }],',
  '  "training": { "lrr": 1, "milestones": [3, "x"] },',
  '  "backend": "gpu-please"',
  '}',
].join('\n');

/** The underlined text of the problem at `path`. */
function underlined(path: string): string {
  const e = (() => {
    try {
      parseConfigText(TEXT, 'r.json');
    } catch (err) {
      return err;
    }
    return assert.fail('the config must be refused');
  })();
  assert.ok(e instanceof ConfigError);
  const p = e.problems.find((q) => q.path === path);
  assert.ok(p, `no problem at ${path}: ${e.message}`);
  assert.equal(p.endLine, p.line, 'one line');
  return TEXT.split('\n')[p.line! - 1].slice(p.column! - 1, p.endColumn! - 1);
}

test('a wrong scalar is underlined whole, not one character at its key', () => {
  assert.equal(underlined('/backend'), '"gpu-please"');
  assert.equal(underlined('/dataset/trainSubset'), '-12.5');
  assert.equal(underlined('/training/milestones/1'), '"x"');
});

test('an unknown field underlines its key; an object missing a field, its opening brace', () => {
  assert.equal(underlined('/training'), '"lrr"');
  assert.equal(underlined('/losses/0'), '{');
});
