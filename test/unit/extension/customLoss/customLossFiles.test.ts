// New Loss and Check Loss without VS Code: the trust gate, the files New Loss writes, Check Loss's results.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigWithPaths } from '../../../../src/core/config/configPaths';
import { expandGrid } from '../../../../src/core/config/grid';
import {
  checkSummary,
  defaultOptionsText,
  lossModuleRefusal,
  optionCompletions,
  optionsCompletionTarget,
  parseCheckResults,
  UNTRUSTED_LOSS_MODULE,
} from '../../../../src/extension/customLoss/customLossFiles';
import { suggestLossName, writeNewLoss } from '../../../../src/host/newLoss';

const TYPES_FILE = path.resolve(__dirname, '..', '..', '..', '..', 'types', 'tfjs-core.d.ts');

test('an untrusted workspace refuses to check or run a loss module; a trusted one goes ahead', () => {
  assert.equal(lossModuleRefusal(false), UNTRUSTED_LOSS_MODULE);
  assert.match(UNTRUSTED_LOSS_MODULE, /untrusted workspace/);
  assert.equal(lossModuleRefusal(true), undefined);
});

test('New Loss writes a documented module and a valid config that uses it (path relative to the config), and never overwrites', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'losslab-newloss-'));
  const { module, config } = writeNewLoss(folder, 'focal', TYPES_FILE);
  assert.equal(module, path.join(folder, 'losses', 'focal.ts'));
  assert.match(readFileSync(module, 'utf8'), /export default function createLoss/);
  assert.match(readFileSync(module, 'utf8'), /export const optionsSchema/);
  const loaded = await loadConfigWithPaths(config);
  const custom = loaded.config.losses.find((l) => l.name === 'custom') as { module: string };
  assert.equal(custom.module, module);
  assert.deepEqual(
    expandGrid(loaded.config).map((r) => r.lossLabel),
    ['CE', 'custom:focal gamma=2'],
  );
  assert.throws(() => writeNewLoss(folder, 'focal', TYPES_FILE), /already exists/);
  assert.throws(() => writeNewLoss(folder, '../x', TYPES_FILE), /not a loss name/);
});

test('New Loss suggests a name whose module and config are both free', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'losslab-newloss-names-'));
  assert.equal(suggestLossName(folder), 'focal');
  writeNewLoss(folder, 'focal', TYPES_FILE);
  assert.equal(suggestLossName(folder), 'focal-2');
  writeFileSync(path.join(folder, 'focal-2.losslab.json'), '{}'); // a config alone also takes the name
  assert.equal(suggestLossName(folder), 'focal-3');
});

test("Check Loss starts from the module's default options", () => {
  assert.equal(defaultOptionsText({ properties: { gamma: { type: 'number', default: 2 }, alpha: { type: 'number' }, mode: { default: 'sum' } } }), '{"gamma":2,"mode":"sum"}');
  assert.equal(defaultOptionsText(null), '{}');
  assert.equal(defaultOptionsText({ type: 'object' }), '{}');
});

test("Check Loss reads the CLI's JSON results and sums them up", () => {
  const results = [
    { name: 'module loads', passed: true, detail: 'ok' },
    { name: 'gradients match finite differences', passed: false, detail: 'relative error 0.5' },
  ];
  assert.deepEqual(parseCheckResults(`${JSON.stringify(results)}\n`), results);
  assert.equal(parseCheckResults('losslab: boom'), undefined);
  assert.equal(checkSummary('/w/losses/focal.ts', results), 'Check Loss focal.ts: 1 of 2 checks passed; failed: gradients match finite differences');
  assert.equal(checkSummary('/w/losses/focal.ts', [results[0]]), 'Check Loss focal.ts: all 1 checks passed');
});

test("completion of a custom loss's options: only at a key inside its options, offering the schema's fields not yet written, with their defaults", () => {
  const text = '{ "losses": [ { "name": "ce" }, { "name": "custom", "module": "./l.ts", "options": { "gamma": 2,  } } ] }';
  const at = text.indexOf('2,') + 3;
  assert.deepEqual(optionsCompletionTarget(text, at), { module: './l.ts', present: ['gamma'] });
  assert.equal(optionsCompletionTarget(text, text.indexOf('"ce"') + 1), undefined, 'not in another field');
  assert.equal(optionsCompletionTarget('{ "losses": [ { "name": "focal", "options": {  } } ] }', 44), undefined, 'not for a built-in loss');
  const schema = { type: 'object', properties: { gamma: { type: 'number', default: 2 }, alpha: { type: 'number', description: 'class weight' }, mode: { type: 'string', default: 'mean' } } };
  assert.deepEqual(optionCompletions(schema, ['gamma']), [
    { key: 'alpha', insert: '"alpha": 0', documentation: 'class weight' },
    { key: 'mode', insert: '"mode": "mean"' },
  ]);
  assert.deepEqual(optionCompletions(null, []), []);
});

test('a property schema that is `true`, or named like an Object method, completes as a value of its own', () => {
  const schema = { properties: { gamma: { default: 2 }, anything: true, toString: { type: 'number' } } };
  assert.deepEqual(optionCompletions(schema, []), [
    { key: 'gamma', insert: '"gamma": 2' },
    { key: 'anything', insert: '"anything": null' },
    { key: 'toString', insert: '"toString": 0' },
  ]);
  assert.equal(defaultOptionsText(schema), '{"gamma":2}');
});
