// Run and the editor check a config's custom losses as `losslab validate` does: options outside the
// module's optionsSchema (gamma 20 where the maximum is 10) are a located problem of that loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { customLossProblems } from '../../../src/extension/customLossProblems';
import { writeNewLoss } from '../../../src/host/newLoss';

/** The repository stands in for the installed extension: dist/moduleHost.js is the build's. */
const EXTENSION = path.resolve(__dirname, '..', '..', '..');
const TYPES_FILE = path.join(EXTENSION, 'types', 'tfjs-core.d.ts');

test("options outside the module's schema are located at that loss's options; good ones give nothing", async () => {
  assert.ok(fs.existsSync(path.join(EXTENSION, 'dist', 'moduleHost.js')), 'npm run build first');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-module-problems-'));
  const { config } = writeNewLoss(folder, 'focal', TYPES_FILE);
  const good = fs.readFileSync(config, 'utf8');
  const bad = good.replace('"gamma": 2', '"gamma": 20');
  assert.notEqual(bad, good);
  const losses = (text: string) => (JSON.parse(text) as { losses: unknown }).losses;

  const problems = await customLossProblems(bad, losses(bad), config, EXTENSION);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].path, '/losses/1/options');
  assert.match(problems[0].message, /gamma/);
  assert.match(problems[0].message, /10/);
  // Located in the text, as the editor underlines it: the line that holds the options.
  const optionsLine = bad.split('\n').findIndex((l) => l.includes('"options"')) + 1;
  assert.equal(problems[0].line, optionsLine);
  assert.deepEqual(await customLossProblems(good, losses(good), config, EXTENSION), []);
  // Asked again unchanged: the same answer (kept per module version and options).
  assert.deepEqual(await customLossProblems(bad, losses(bad), config, EXTENSION), problems);
});
