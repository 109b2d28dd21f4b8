import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, type ConfigProblem } from '../../../src/core/config/configError';
import { jsonSyntaxError, positionAt, problemRange } from '../../../src/core/config/jsonLocate';
import { parseConfigText } from '../../../src/core/config/validate';

function failure(text: string): { message: string; problems: readonly ConfigProblem[] } {
  try {
    parseConfigText(text, 'f.json');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e;
  }
  assert.fail('accepted');
}

test('JSON syntax errors report line and column', () => {
  const text = '{\n  "name": "x",\n  "dataset": { "name": cifar100 }\n}';
  const e = failure(text);
  assert.equal(e.message, "f.json: line 3, column 24: invalid JSON: unexpected 'cifar100' where a value was expected; text values need double quotes");
  assert.deepEqual([e.problems[0].line, e.problems[0].column], [3, 24]);
});

test('common JSON mistakes get a specific message', () => {
  const cases: [string, string][] = [
    ['{"a": 1,\n}', "f.json: line 1, column 8: invalid JSON: trailing comma before '}' is not allowed in JSON"],
    ['{"a": 1\n "b": 2}', `f.json: line 2, column 2: invalid JSON: unexpected '"' (expected ',' or '}'; is a comma missing?)`],
    ["{'a': 1}", `f.json: line 1, column 2: invalid JSON: unexpected ''' where a property name in double quotes was expected; strings and names need double quotes`],
    ['{"a": [1, 2', "f.json: line 1, column 12: invalid JSON: unexpected end of file (expected ',' or ']')"],
    ['// note\n{}', "f.json: line 1, column 1: invalid JSON: unexpected '/' where a value was expected; comments are not allowed in JSON"],
    ['{"a": "x\ny"}', 'f.json: line 1, column 9: invalid JSON: unterminated string (line break or control character inside quotes)'],
    ['{} {}', "f.json: line 1, column 4: invalid JSON: unexpected '{' after the end of the JSON value"],
  ];
  for (const [text, message] of cases) assert.equal(failure(text).message, message, text);
});

test('the locator agrees with JSON.parse on valid input and finds every pointer', () => {
  const text = '\uFEFF'.slice(1) + '{"a": [1, {"b~/c": true}], "d": -1.5e3, "e": "\\u00e9\\n"}';
  assert.equal(jsonSyntaxError(text), undefined);
  const at = (pointer: string) => {
    const range = problemRange(text, pointer);
    assert.ok(range, pointer);
    return text.slice(range.start, range.end);
  };
  assert.deepEqual(['', '/a', '/a/0', '/a/1', '/a/1/b~0~1c', '/d', '/e'].map(at), ['{', '"a"', '1', '{', 'true', '-1.5e3', '"\\u00e9\\n"']);
  assert.deepEqual(positionAt('ab\ncd', 4), { offset: 4, line: 2, column: 2 });
});

test('validation problems carry the line and column of the offending field', () => {
  const text = '{\n  "name": "x",\n  "dataset": { "name": "mnist" },\n  "models": [{ "name": "simple-cnn" }],\n  "losses": [{ "name": "scaled-bn" }],\n  "training": { "lrr": 1 }\n}';
  const e = failure(text);
  const byPath = Object.fromEntries(e.problems.map((p) => [p.path, [p.line, p.column]]));
  assert.deepEqual(byPath['/losses/0'], [5, 14]); // the loss object
  assert.deepEqual(byPath['/training'], [6, 17]); // the unknown key itself
});

test('a duplicate key is reported instead of silently keeping the last', () => {
  const text = '{"name": "a", "name": "b", "dataset": {"name": "mnist"}, "models": [{"name": "simple-cnn"}], "losses": [{"name": "ce"}]}';
  assert.equal(failure(text).message, 'f.json: /name: field given twice; JSON keeps only the last (allowed: each field once)');
});

test('a byte-order mark is ignored', () => {
  const cfg = parseConfigText('\uFEFF{"name": "a", "dataset": {"name": "mnist"}, "models": [{"name": "simple-cnn"}], "losses": [{"name": "ce"}]}');
  assert.equal(cfg.name, 'a');
});
