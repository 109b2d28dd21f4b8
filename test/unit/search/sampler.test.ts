// Random search: the same trials for the same seed in any order, every draw inside its bounds,
// log-uniform draws spread evenly over the decades, and a malformed distribution named in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distributionProblem, isDistributionObject, roundSignificant, sample } from '../../../src/core/search/distributions';
import { randomSampler, type SearchedField } from '../../../src/core/search/sampler';
import { Rng } from '../../../src/core/util/rng';

const fields: SearchedField[] = [
  { scope: 'loss', field: 'm', distribution: { uniform: [0.5, 2] } },
  { scope: 'training', field: 'lr', distribution: { log: [1e-3, 1] } },
  { scope: 'loss', field: 'k', distribution: { int: [1, 3] } },
  { scope: 'training', field: 'batchSize', distribution: [64, 128] },
];

test('trial i has the same values whatever order trials are proposed in', () => {
  const a = randomSampler(fields, 7);
  const forwards = [0, 1, 2, 3].map((i) => a.propose(i, []));
  const b = randomSampler(fields, 7);
  const backwards = [3, 2, 1, 0].map((i) => b.propose(i, [])).reverse();
  assert.deepEqual(forwards, backwards);
  assert.notDeepEqual(randomSampler(fields, 8).propose(0, []), forwards[0], 'another seed, other values');
  assert.deepEqual(
    forwards[0].map((v) => [v.scope, v.field]),
    fields.map((f) => [f.scope, f.field]),
  );
});

test('draws stay in bounds; int takes both ends; log-uniform puts a third of the draws in each decade', () => {
  const rng = new Rng(1);
  const ints = new Set<number>();
  const decades = [0, 0, 0];
  for (let i = 0; i < 3000; i++) {
    const u = sample({ uniform: [0.5, 2] }, rng);
    assert.ok(u >= 0.5 && u <= 2, `uniform ${u}`);
    ints.add(sample({ int: [1, 3] }, rng));
    const l = sample({ log: [1e-3, 1] }, rng);
    assert.ok(l >= 1e-3 && l <= 1, `log ${l}`);
    decades[Math.min(2, Math.floor(Math.log10(l) + 3))]++;
    assert.ok([64, 128].includes(sample([64, 128], rng)));
  }
  assert.deepEqual([...ints].sort(), [1, 2, 3]);
  // Binomial(3000, 1/3): sd ≈ 26, so ±130 is five sd.
  for (const n of decades) assert.ok(Math.abs(n - 1000) < 130, `decades ${decades.join(' ')}`);
});

test('values keep three significant digits', () => {
  assert.equal(roundSignificant(0.0123456), 0.0123);
  assert.equal(roundSignificant(1234.5), 1230);
  assert.equal(roundSignificant(0), 0);
});

test('a malformed distribution is named in words; only one-key objects are distributions', () => {
  assert.equal(distributionProblem({ log: [1e-3, 1] }), undefined);
  assert.equal(distributionProblem({ log: [0, 1] }), '"log" needs positive bounds, got [0, 1]');
  assert.equal(distributionProblem({ uniform: [2, 1] }), '"uniform" needs low < high, got [2, 1]');
  assert.equal(distributionProblem({ int: [1, 2.5] }), '"int" needs integer bounds, got [1, 2.5]');
  assert.equal(distributionProblem({ int: [1] } as never), '"int" takes two numbers, [low, high]');
  assert.equal(distributionProblem([]), 'a list to choose from needs at least one value');
  assert.ok(isDistributionObject({ log: [1, 2] }));
  assert.ok(!isDistributionObject({ from: 1, to: 2, step: 1 }), 'a sweep range is not a distribution');
  assert.ok(!isDistributionObject({ log: [1, 2], int: [1, 2] }));
});
