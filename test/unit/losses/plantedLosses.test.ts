// Check Loss shown sensitive the way the parity harness is: each planted wrong module in
// test/fixtures/planted-losses must fail the check meant to catch it, and correct modules (CE, a stable
// CosFace at s = 64, Loss Lab's own heads, the New Loss template) must pass every check.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLoss, formatCheckResults } from '../../../src/core/losses/checkLoss';
import { EXAMPLE_LOSS_MODULE } from '../../../src/core/losses/customTemplate';
import { useCpu } from '../helpers/tfTest';

before(useCpu);

const FIXTURES = path.resolve(__dirname, '../../fixtures/planted-losses');
const fixture = (name: string) => path.join(FIXTURES, name);

/** The check a result belongs to, by the first word of its name. */
const find = (results: ReturnType<typeof checkLoss>, check: string) => {
  const r = results.find((x) => x.name.split(' ')[0] === check);
  assert.ok(r, `no '${check}' check in\n${formatCheckResults(results)}`);
  return r;
};

/** Each planted defect: the module, the check (first word of its name) that must fail, and what it must say. */
const PLANTED: [string, string, RegExp][] = [
  ['wrong-target.ts', 'one', /0 of 8 samples predicted right/],
  ['label-free.ts', 'one', /of 8 samples predicted right/],
  ['cosine-overflow-s90.ts', 'finite', /target scores pushed up \(cosines → 1\): loss (Infinity|NaN)/],
  ['arcface-unclamped.ts', 'finite', /cosines → (1|−1)\).*not finite/],
  ['naive-softmax.ts', 'finite', /input ×1e3: loss (NaN|Infinity)/],
  ['gradient-off-1.5pct.ts', 'gradients', /coordinates off.*relative error 0\.01[45]/],
  ['gradient-wrong-sign.ts', 'gradients', /48 of 48 coordinates off.*relative error 2\.0000/],
  ['host-side.ts', 'gradients', /coordinates off/],
  ['nan-loss.ts', 'gradients', /^the loss is NaN at the start/],
  ['unregistered-weight.ts', 'variables', /an unnamed variable \[6, 4\] \(the classWeights tensor\) made with tf\.variable but not registered with store\.addParam.*registered: fc\.bias \[4\]/],
  ['class-weights-transposed.ts', 'scores', /classWeights \[4, 6\], expected \[6, 4\]/],
  ['extra-score-column.ts', 'scores', /train scores \[8, 5\].*expected \[8, 4\]/],
];

test('every planted wrong module loads and fails the check meant for its defect', () => {
  for (const [module, check, says] of PLANTED) {
    const results = checkLoss(fixture(module), {});
    assert.equal(find(results, 'module').passed, true, `${module} should load:\n${formatCheckResults(results)}`);
    const r = find(results, check);
    assert.equal(r.passed, false, `planted defect '${module}' went unnoticed by '${r.name}':\n${formatCheckResults(results)}`);
    assert.match(r.detail, says, `${module}: ${r.detail}`);
    process.stdout.write(`planted ${module}: caught by '${r.name}': ${r.detail}\n`);
  }
});

test('the planted defects that the old checks missed pass every other check: only the new check sees them', () => {
  for (const [module, check] of [
    ['wrong-target.ts', 'one'],
    ['cosine-overflow-s90.ts', 'finite'],
    ['gradient-off-1.5pct.ts', 'gradients'],
  ]) {
    const results = checkLoss(fixture(module), {});
    const failed = results.filter((r) => !r.passed).map((r) => r.name.split(' ')[0]);
    assert.deepEqual(failed, [check], `${module}:\n${formatCheckResults(results)}`);
  }
});

test('an error thrown deep inside a tfjs kernel is reported at the module line that called the op', () => {
  const file = fixture('op-error.ts');
  const limit = Error.stackTraceLimit;
  const results = checkLoss(file, {});
  assert.equal(Error.stackTraceLimit, limit, 'the stack limit is restored');
  const r = find(results, 'gradients');
  assert.equal(r.passed, false);
  assert.ok(r.detail.startsWith(`${file}:11:`), r.detail);
  assert.match(r.detail, /GatherV2: the index value 4 is not in \[0, 3\]/);
});

/** Correct modules with their options: none may fail a check, on several seeds (each seed another batch and init). */
const CORRECT: [string, Record<string, unknown>][] = [
  ['ce.ts', {}],
  ['cosface-s64.ts', {}],
  ['builtin-head.ts', { name: 'ce' }],
  ['builtin-head.ts', { name: 'cosface', s: 64, m: 0.35 }],
  ['builtin-head.ts', { name: 'arcface', s: 64, m: 0.5 }],
  ['builtin-head.ts', { name: 'focal', gamma: 2 }],
  ['builtin-head.ts', { name: 'label-smoothing', epsilon: 0.1 }],
  ['builtin-head.ts', { name: 'scaled-bn', m: 0.9 }],
];

test('correct modules pass every check on several seeds: CE, a stable CosFace at s = 64, the built-in heads, the New Loss template', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'losslab-planted-'));
  const template = path.join(dir, 'focal.ts');
  writeFileSync(template, EXAMPLE_LOSS_MODULE);
  for (const [module, options] of [...CORRECT, [template, { gamma: 2 }] as [string, Record<string, unknown>]]) {
    for (const seed of [1, 2, 3]) {
      const results = checkLoss(path.isAbsolute(module) ? module : fixture(module), options, { seed });
      assert.equal(results.length, 7);
      assert.ok(
        results.every((r) => r.passed),
        `${module} ${JSON.stringify(options)} seed ${seed}:\n${formatCheckResults(results)}`,
      );
    }
  }
});
