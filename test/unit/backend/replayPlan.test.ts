// A recorded step as a program (replayPlan.ts), on hand-written call logs: which slots are the
// batch, variables, persistent tensors or values the step computed, why a step cannot be
// replayed, and that a replay passes each call the slots of this step. No engine needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SIGNATURES, type TracedCall } from '../../../src/core/backend/torch/callTrace';
import { compileStep, runProgram, sameProgram, type Program } from '../../../src/core/backend/torch/replayPlan';
import type { TorchNative } from '../../../src/core/backend/torch/torchAddon';

const call = (fn: TracedCall['fn'], args: unknown[], result?: unknown): TracedCall => ({ fn, args, result });

// Slots before the step: x 10, y 11, weight 20, running mean 21, momentum buffer 22, a persistent tensor 30.
const slots = { x: 10, y: 11, variablesBefore: [20, 21, 22], variablesAfter: [20, 44, 22], outputs: [42, 43] };

/** loss = sum(x·w + 2); correct = argMax(x); running mean ← x·w; SGD updates w in place. */
function trace(two = 2): TracedCall[] {
  return [
    call('fromBuffer', [new Float32Array([two]), [], 0], 40),
    call('binary', [2, 10, 20], 41), // x·w
    call('binary', [0, 41, 40], 45), // + 2
    call('free', [40]),
    call('reduce', [0, 45, [0, 1], false], 42),
    call('describeTensor', [42]),
    call('argReduce', [true, 10, 1], 43),
    call('binary', [2, 41, 30], 44), // the new running mean, scaled by a persistent tensor
    call('free', [21]), // the running mean's old tensor, freed by its assign
    call('sgdStep', [[20], [45], [22], 0.05, 0.9, [0]]),
    call('free', [45]),
    call('free', [41]),
  ];
}

test('a step compiles to calls over its values, the batch, its variables and persistent tensors', () => {
  const compiled = compileStep(trace(), slots);
  if (typeof compiled === 'string') assert.fail(compiled);
  const p = compiled;
  const value = (index: number) => ({ kind: 'value', index });
  assert.deepEqual(
    p.ops.map((op) => (op.kind === 'free' ? ['free', op.value] : [op.fn, ...op.args, '→', ...op.produces])),
    [
      ['fromBuffer', new Float32Array([2]), [], 0, '→', 0],
      ['binary', 2, { kind: 'x' }, { kind: 'var', index: 0 }, '→', 1],
      ['binary', 0, value(1), value(0), '→', 2],
      ['free', 0],
      ['reduce', 0, value(2), [0, 1], false, '→', 3],
      ['argReduce', true, { kind: 'x' }, 1, '→', 4],
      ['binary', 2, value(1), { kind: 'fixed', slot: 30 }, '→', 5],
      ['sgdStep', [{ kind: 'var', index: 0 }], [value(2)], [{ kind: 'var', index: 1 }], 0.05, 0.9, [0], '→'],
      ['free', 2],
      ['free', 1],
    ],
  );
  assert.deepEqual(p.variables, [0, 2, 1], 'weight, momentum buffer, running mean: in order of first use');
  assert.deepEqual(p.outputs, [3, 4]);
  assert.deepEqual(p.assigned, [[2, 5]], 'the running mean gets value 5');
});

test('what makes a step not replayable is named', () => {
  const why = (calls: TracedCall[], s = slots) => compileStep(calls, s);
  assert.equal(why([...trace(), call('toBuffer', [42], new Float32Array(1))]), 'the step reads a tensor back to the host');
  assert.equal(why([...trace(), call('free', [30])]), 'the step frees a tensor from outside it');
  const leaks = trace().filter((c) => !(c.fn === 'free' && c.args[0] === 41));
  assert.equal(why(leaks), 'the step keeps 1 tensor(s) beyond its outputs and variables');
  assert.equal(why(trace(), { ...slots, variablesAfter: [20, 30, 22] }), 'a variable changed to a tensor from outside the step');
  assert.equal(why(trace(), { ...slots, outputs: [42, 30] }), 'returns a tensor it did not compute');
  const readsFreed = [...trace().slice(0, 9), call('unary', [0, 21, 0], 46), ...trace().slice(9)];
  assert.equal(why(readsFreed), 'the step reads a freed tensor');
});

test('two recordings are the same step only with the same calls, uploaded bytes and persistent slots', () => {
  const a = compileStep(trace(), slots);
  // The next step: another batch tensor, the running mean where the last step left it, values in other slots.
  const moved = new Map([
    [10, 12],
    [21, 44],
    [44, 47],
    [41, 48],
  ]);
  const relabel = (c: TracedCall): TracedCall => {
    const kinds = SIGNATURES[c.fn].args;
    const at = (s: number) => moved.get(s) ?? s;
    const args = c.args.map((a, i) => (kinds[i] === 'id' ? at(a as number) : kinds[i] === 'ids' ? (a as number[]).map(at) : a));
    return call(c.fn, args, typeof c.result === 'number' ? at(c.result) : c.result);
  };
  const next = compileStep(trace().map(relabel), { ...slots, x: 12, variablesBefore: [20, 44, 22], variablesAfter: [20, 47, 22] });
  assert.ok(sameProgram(a, next), 'the same step on other slots');
  assert.ok(!sameProgram(a, compileStep(trace(3), slots)), 'an upload of other bytes');
  const otherFixed = trace().map((c) => (c.fn === 'binary' && c.args[2] === 30 ? call('binary', [2, 41, 31], 44) : c));
  assert.ok(!sameProgram(a, compileStep(otherFixed, slots)), 'another persistent tensor');
  const otherArg = trace().map((c) => (c.fn === 'sgdStep' ? call('sgdStep', [[20], [45], [22], 0.01, 0.9, [0]]) : c));
  assert.ok(!sameProgram(a, compileStep(otherArg, slots)), 'another learning rate');
});

test("a replay passes each call this step's slots: its batch, its variables' current slots, the values it computed", () => {
  const p = compileStep(trace(), slots) as Program;
  const seen: unknown[][] = [];
  let next = 100;
  const fake = new Proxy(
    {},
    {
      get:
        (_, fn: string) =>
        (...args: unknown[]) => {
          seen.push([fn, ...args]);
          return fn === 'free' || fn === 'sgdStep' ? undefined : next++;
        },
    },
  ) as unknown as TorchNative;
  const out = runProgram(fake, p, { x: 60, y: 61, variables: [70, 72, 71] });
  assert.deepEqual(
    seen.map((s) => s.filter((a) => !(a instanceof Float32Array))),
    [
      ['fromBuffer', [], 0],
      ['binary', 2, 60, 70],
      ['binary', 0, 101, 100],
      ['free', 100],
      ['reduce', 0, 102, [0, 1], false],
      ['argReduce', true, 60, 1],
      ['binary', 2, 101, 30],
      ['sgdStep', [70], [102], [72], 0.05, 0.9, [0]],
      ['free', 102],
      ['free', 101],
    ],
  );
  assert.deepEqual([...out], [100, 101, 102, 103, 104, 105]);
});
