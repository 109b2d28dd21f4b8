// Run, the editor and the CLI check a config's custom losses through one function: options outside the
// module's optionsSchema (gamma 20 where the maximum is 10) are a located problem of that loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lossModuleProblems } from '../../../src/host/lossModuleProblems';
import { writeNewLoss } from '../../../src/host/newLoss';

/** The repository stands in for the installed extension: dist/moduleHost.js is the build's. */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const HOST = path.join(ROOT, 'dist', 'moduleHost.js');
const TYPES_FILE = path.join(ROOT, 'types', 'tfjs-core.d.ts');

const lossesOf = (text: string) => (JSON.parse(text) as { losses: unknown }).losses;

function focalConfig(): { config: string; good: string; bad: string } {
  assert.ok(fs.existsSync(HOST), 'npm run build first');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-module-problems-'));
  const { config } = writeNewLoss(folder, 'focal', TYPES_FILE);
  const good = fs.readFileSync(config, 'utf8');
  const bad = good.replace('"gamma": 2', '"gamma": 20');
  assert.notEqual(bad, good);
  return { config, good, bad };
}

test("options outside the module's schema are located at that loss's options; good ones give nothing", async () => {
  const { config, good, bad } = focalConfig();
  const check = (text: string) => lossModuleProblems(lossesOf(text), { configFile: config, hostPath: HOST, text });

  const problems = await check(bad);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].path, '/losses/1/options');
  assert.match(problems[0].message, /gamma/);
  assert.match(problems[0].message, /10/);
  // Located in the text, as the editor underlines it: the line that holds the options.
  const optionsLine = bad.split('\n').findIndex((l) => l.includes('"options"')) + 1;
  assert.equal(problems[0].line, optionsLine);
  assert.deepEqual(await check(good), []);
  // Asked again unchanged: the same answer (kept per module version and options).
  assert.deepEqual(await check(bad), problems);
  // Without the text (the CLI's way): the same problems, unlocated.
  assert.deepEqual(await lossModuleProblems(lossesOf(bad), { configFile: config, hostPath: HOST }), [{ path: '/losses/1/options', message: problems[0].message }]);
});

test('several modules, some answered before, each keep the index of their own loss in the config', async () => {
  const { config, bad } = focalConfig();
  const folder = path.dirname(config);
  fs.copyFileSync(path.join(folder, 'losses', 'focal.ts'), path.join(folder, 'losses', 'focal2.ts'));
  fs.writeFileSync(path.join(folder, 'losses', 'broken.js'), "throw new Error('broken on purpose');\n");
  const badFocal = (lossesOf(bad) as unknown[])[1];
  const focal = path.join(folder, 'losses', 'focal.ts');
  const FIXED_TIME_S = 1_700_000_000; // whole seconds: the file's time survives a rewrite exactly
  fs.utimesSync(focal, FIXED_TIME_S, FIXED_TIME_S);
  // The bad focal is answered first, so the second ask takes it from what is kept and sends only the others.
  assert.equal((await lossModuleProblems([{ name: 'ce' }, badFocal], { configFile: config, hostPath: HOST })).length, 1);
  // Kept by file version: a module rewritten under its old time still gets the kept answer, so only a fresh ask would see the throw.
  fs.writeFileSync(focal, "throw new Error('not loaded again');\n");
  fs.utimesSync(focal, FIXED_TIME_S, FIXED_TIME_S);
  const losses = [{ name: 'ce' }, { name: 'custom', module: './losses/broken.js' }, { name: 'ce' }, badFocal, { name: 'custom', module: './losses/focal2.ts', options: { gamma: 3 } }];
  const problems = await lossModuleProblems(losses, { configFile: config, hostPath: HOST });
  assert.deepEqual(
    problems.map((p) => p.path),
    ['/losses/1/module', '/losses/3/options'],
    JSON.stringify(problems),
  );
  assert.match(problems[0].message, /broken on purpose/);
  assert.match(problems[1].message, /gamma/);
});
