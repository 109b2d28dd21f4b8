// New Loss's module type-checks in a folder with no node_modules: its tsconfig maps '@tensorflow/tfjs-core'
// to the types New Loss copies beside it. The check is real (a planted type error is reported), and the
// types promise nothing the worker's tfjs-core lacks.
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { writeNewLoss } from '../../../../src/host/newLoss';
import { useCpu } from '../../helpers/tfTest';

before(useCpu);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const TYPES_FILE = path.join(ROOT, 'types', 'tfjs-core.d.ts');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** `tsc --noEmit -p losses`, run from a folder outside the repository (so no node_modules above it). */
function typeCheck(modulesDir: string): { code: number | null; output: string } {
  const r = spawnSync(process.execPath, [TSC, '--noEmit', '-p', modulesDir], { cwd: modulesDir, encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

test("New Loss's module type-checks without tfjs installed, and a type error in it is reported", () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'losslab-module-types-'));
  const { module } = writeNewLoss(folder, 'focal', TYPES_FILE);
  const modulesDir = path.dirname(module);
  const clean = typeCheck(modulesDir);
  assert.equal(clean.code, 0, clean.output);

  const good = readFileSync(module, 'utf8');
  const planted = good.replace('tf.oneHot(labels, numClasses)', "tf.oneHot(labels, 'ten')");
  assert.notEqual(planted, good);
  writeFileSync(module, planted);
  const broken = typeCheck(modulesDir);
  assert.notEqual(broken.code, 0);
  assert.match(broken.output, /focal\.ts\(\d+,\d+\): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'/);
});

test('every op and class the shipped types declare exists on the real tfjs-core', () => {
  const source = ts.createSourceFile(TYPES_FILE, readFileSync(TYPES_FILE, 'utf8'), ts.ScriptTarget.Latest);
  const declared = source.statements.flatMap((s) => ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name ? [s.name.text] : []));
  assert.ok(declared.length > 50, `found ${declared.length}`);
  const missing = [...new Set(declared)].filter((name) => !(name in tf));
  assert.deepEqual(missing, []);
  const t = tf.tensor1d([1, 2]);
  const methods = ['dataSync', 'data', 'arraySync', 'array', 'clone', 'dispose', 'print', 'toString'];
  assert.deepEqual(
    methods.filter((m) => typeof (t as unknown as Record<string, unknown>)[m] !== 'function'),
    [],
  );
});
