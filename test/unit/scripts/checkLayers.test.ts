// The layer check (scripts/check-layers.mjs) passes on this tree and fails, naming the file, on
// trees written here with one planted violation each.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const script = path.resolve('scripts/check-layers.mjs');

function check(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script], { cwd, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** A tree of the given files (path: source), with a wiring main.ts and a shared module. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'losslab-layers-'));
  const all = { 'src/extension/main.ts': "import { a } from './run/a';\n", 'src/extension/strings.ts': 'export const s = 1;\n', ...files };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

test('this tree keeps to its layers', () => {
  const { status, out } = check('.');
  assert.equal(status, 0, out);
});

test('allowed imports pass: a feature uses shared modules and the features it declares', () => {
  const { status, out } = check(
    tree({
      'src/extension/run/a.ts': "import { s } from '../strings';\nimport { c } from '../config/c';\nexport const a = s + c;\n",
      'src/extension/config/c.ts': "import * as vscode from 'vscode';\nexport const c = 1;\n",
      'src/extension/services.ts': "import type { a } from './run/a';\n",
    }),
  );
  assert.equal(status, 0, out);
});

const violations: [string, Record<string, string>, RegExp][] = [
  ['the core imports vscode', { 'src/core/x.ts': "import * as vscode from 'vscode';\n" }, /src\/core\/x\.ts: imports 'vscode'/],
  ['the webview imports Node', { 'webview/x.ts': "import * as fs from 'node:fs';\n" }, /webview\/x\.ts: imports 'node:fs'/],
  [
    'a feature reaches into one it does not declare',
    { 'src/extension/config/c.ts': "import { a } from '../run/a';\n" },
    /config\/c\.ts: imports '\.\.\/run\/a' \(feature 'config' may import no other feature\)/,
  ],
  ['a shared module imports a feature', { 'src/extension/settings.ts': "import { a } from './run/a';\n" }, /settings\.ts: imports '\.\/run\/a' \(shared modules import no feature\)/],
  ['a feature imports the wiring', { 'src/extension/run/a.ts': "import { activate } from '../main';\n" }, /run\/a\.ts: imports '\.\.\/main'/],
  ['a folder nobody declared', { 'src/extension/misc/m.ts': 'export const m = 1;\n' }, /'misc' is not a known feature folder/],
];

for (const [what, files, expected] of violations) {
  test(`fails when ${what}`, () => {
    const { status, out } = check(tree(files));
    assert.equal(status, 1, out);
    assert.match(out, expected);
  });
}
