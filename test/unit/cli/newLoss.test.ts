// `losslab new-loss`: the files VS Code's New Loss writes, a free name by default, one line for a
// taken or malformed name, and a config that is valid and trains the module next to CE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { reportError, runCli } from '../../../src/cli/cli';
import { loadConfigWithPaths } from '../../../src/core/config/configPaths';
import { expandGrid } from '../../../src/core/config/grid';

const PATHS = { workerPath: '/nonexistent/worker.js', examplesDir: '/nonexistent', typesFile: path.resolve('types/tfjs-core.d.ts') };

test('new-loss writes the module and its config, suggests the next free name, refuses a taken one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-cli-newloss-'));
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (t: string) => (printed.push(t), true);
  try {
    assert.equal(await runCli(['new-loss', '--dir', dir], PATHS), 0);
    assert.equal(await runCli(['new-loss', '--dir', dir], PATHS), 0);
  } finally {
    process.stdout.write = write;
  }
  assert.ok(fs.existsSync(path.join(dir, 'losses', 'focal.ts')) && fs.existsSync(path.join(dir, 'losses', 'focal-2.ts')));
  assert.match(printed.join(''), /losslab check-loss .*focal-2\.ts/);
  const { config } = await loadConfigWithPaths(path.join(dir, 'focal-2.losslab.json'));
  assert.deepEqual(
    expandGrid(config).map((r) => r.lossLabel),
    ['CE', 'custom:focal-2 gamma=2'],
  );
  const taken = await runCli(['new-loss', 'focal', '--dir', dir], PATHS).then(
    () => assert.fail('a taken name must be refused'),
    (e: unknown) => reportError(e),
  );
  assert.deepEqual(taken, { text: 'losslab: new-loss: losses/focal.ts already exists\n', code: 1 });
  const malformed = await runCli(['new-loss', '../x', '--dir', dir], PATHS).then(
    () => assert.fail('a path is not a name'),
    (e: unknown) => reportError(e),
  );
  assert.equal(malformed.code, 2);
  assert.match(malformed.text, /'\.\.\/x' is not a loss name/);
});
