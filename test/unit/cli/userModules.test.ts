// A loss module outside the config's folder runs the user's code from elsewhere: the CLI says so, once per module.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { announceOutsideModules } from '../../../src/cli/userModules';

test('a module outside the config folder is announced on its first load only; one inside never', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'losslab-announce-'));
  const list = path.join(root, 'cache', 'announced.json');
  const configPath = path.join(root, 'exp', 'a.losslab.json');
  const inside = { name: 'custom', module: path.join(root, 'exp', 'losses', 'focal.ts') } as const;
  const outside = { name: 'custom', module: path.join(root, 'shared', 'arc.ts') } as const;
  const said: string[] = [];
  announceOutsideModules([{ name: 'ce' }, inside, outside, outside] as never, configPath, (l) => said.push(l), list);
  assert.equal(said.length, 1);
  assert.match(said[0], new RegExp(`uses the loss module ${outside.module.replace(/[\\.]/g, '\\$&')}, outside its folder; Loss Lab runs its code`));
  announceOutsideModules([inside, outside] as never, configPath, (l) => said.push(l), list);
  assert.equal(said.length, 1, 'said once');
  announceOutsideModules([inside] as never, path.join(root, 'other', 'b.losslab.json'), (l) => said.push(l), list);
  assert.equal(said.length, 2, 'the same module from another config folder is outside it, and new');
});
