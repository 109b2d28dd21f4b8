// Paths a config writes that do not exist are config problems, found while editing and before Run writes
// anything, with the same located messages in the editor, Run and `losslab validate`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configFileProblems, loadConfigWithPaths } from '../../../src/core/config/configPaths';
import { ConfigError } from '../../../src/core/config/configError';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-pathproblems-'));
}

/** Line by line, so the expected line of each problem is known: dataset on line 3, the custom loss on line 5, training on line 7. */
function configText(dataset: string, losses = '{ "name": "ce" }', training = '"epochs": 2, "milestones": [1]'): string {
  return ['{', '  "name": "p",', `  "dataset": ${dataset},`, '  "models": [{ "name": "simple-cnn" }],', `  "losses": [${losses}],`, '  "seeds": [1],', `  "training": { ${training} }`, '}'].join('\n');
}

test('a dataset folder, test folder or loss module the file names but that does not exist: one located problem each, after the schema’s', () => {
  const root = tempDir();
  try {
    const file = path.join(root, 'a.losslab.json');
    const text = configText(
      '{ "name": "image-folder", "path": "images", "testPath": "../elsewhere/test" }',
      '{ "name": "custom", "module": "./losses/mine.ts" }',
      '"epochs": 2, "milestones": [1], "lrr": 0.1',
    );
    const problems = configFileProblems(text, file);
    assert.deepEqual(
      problems.map((p) => [p.path, p.line]),
      [
        ['/training', 7],
        ['/dataset/path', 3],
        ['/dataset/testPath', 3],
        ['/losses/0/module', 5],
      ],
    );
    assert.match(problems[0].message, /unknown field 'lrr', did you mean 'lr'\?/);
    assert.equal(problems[1].message, `dataset path ${path.join(root, 'images')} does not exist (a relative path is relative to the config file's folder)`);
    assert.equal(problems[2].message, `test folder ${path.resolve(root, '../elsewhere/test')} does not exist (a relative path is relative to the config file's folder)`);
    assert.equal(problems[3].message, `loss module ${path.join(root, 'losses', 'mine.ts')} does not exist (a relative path is relative to the config file's folder)`);
    // The underline covers the written value: columns from the text itself.
    const line3 = text.split('\n')[2];
    assert.equal(problems[1].column, line3.indexOf('"images"') + 1);
    assert.equal(problems[1].endColumn, line3.indexOf('"images"') + '"images"'.length + 1);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('paths that exist are no problem; a test path that is a file is; cifar100 may name its archive', () => {
  const root = tempDir();
  try {
    const file = path.join(root, 'a.losslab.json');
    fs.mkdirSync(path.join(root, 'images'));
    fs.writeFileSync(path.join(root, 'test.txt'), 'x');
    fs.writeFileSync(path.join(root, 'cifar-100-binary.tar.gz'), 'x');
    assert.deepEqual(configFileProblems(configText('{ "name": "image-folder", "path": "images" }'), file), []);
    assert.deepEqual(configFileProblems(configText('{ "name": "cifar100", "path": "cifar-100-binary.tar.gz" }'), file), []);
    const [problem] = configFileProblems(configText('{ "name": "image-folder", "path": "images", "testPath": "test.txt" }'), file);
    assert.equal(problem.message, `test folder ${path.join(root, 'test.txt')} is a file, not a folder (a relative path is relative to the config file's folder)`);
    // No path written: the loader looks in the dataset's default places, and says where.
    assert.deepEqual(configFileProblems(configText('{ "name": "mnist" }'), file), []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('loading refuses a missing dataset path with the same problem, unless told the path is replaced (reproduce --data)', async () => {
  const root = tempDir();
  try {
    const file = path.join(root, 'a.losslab.json');
    fs.writeFileSync(file, configText('{ "name": "mnist", "path": "nowhere" }'));
    await assert.rejects(
      loadConfigWithPaths(file),
      (e: unknown) =>
        e instanceof ConfigError && e.message === `${file}: /dataset/path: dataset path ${path.join(root, 'nowhere')} does not exist (a relative path is relative to the config file's folder)`,
    );
    const { config } = await loadConfigWithPaths(file, { checkPaths: false });
    assert.equal(config.dataset.path, path.join(root, 'nowhere'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('JSON syntax errors come alone (the paths of a text that does not parse are unknown)', () => {
  const problems = configFileProblems('{ "name": "a", ', '/x/a.losslab.json');
  assert.equal(problems.length, 1);
  assert.equal(problems[0].syntax, true);
});
