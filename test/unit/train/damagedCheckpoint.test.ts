// A damaged checkpoint (random bytes, cut short) is one line that names --restart, and leaves the
// network as it was; never a RangeError or a JSON error with a stack.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { DamagedCheckpointError, encodeCheckpoint, restoreCheckpoint } from '../../../src/core/train/checkpoint';
import { useCpu } from '../helpers/tfTest';

before(useCpu);

const variables = () => [
  { name: 'w', variable: tf.variable(tf.tensor([1, 2, 3, 4, 5, 6], [2, 3])) },
  { name: 'b', variable: tf.variable(tf.tensor([7, 8], [2])) },
];

const damaged = (why: RegExp) => (e: unknown) =>
  e instanceof DamagedCheckpointError && why.test(e.message) && /^run\/checkpoint is damaged \(/.test(e.message) && /--restart/.test(e.message) && !e.message.includes('\n');

test('random bytes, a cut-short file and a broken header each say the checkpoint is damaged and name --restart', () => {
  const saved = variables();
  const bytes = encodeCheckpoint(3, saved);
  const target = variables();
  tf.tidy(() => target.forEach((t) => t.variable.assign(tf.zerosLike(t.variable))));
  const cases: [Uint8Array, RegExp][] = [
    [randomBytes(4096), /not a Loss Lab checkpoint/],
    [bytes.subarray(0, bytes.length - 6), /truncated: \d+ bytes, tensor 'b' needs \d+/],
    [bytes.subarray(0, bytes.length - 1), /truncated/],
    [bytes.subarray(0, 20), /truncated inside its header/],
    [Buffer.concat([Buffer.from(bytes.subarray(0, 8)), Buffer.from('{"epoch": ', 'utf8'), Buffer.alloc(200)]).subarray(0, bytes.length), /header is not valid JSON|truncated inside its header/],
  ];
  for (const [input, why] of cases) assert.throws(() => restoreCheckpoint(input, target, 'run/checkpoint'), damaged(why));
  // Nothing was half-restored: every case failed before touching a variable.
  for (const t of target) assert.ok(Array.from(t.variable.dataSync()).every((v) => v === 0));
  assert.equal(restoreCheckpoint(bytes, target, 'run/checkpoint'), 3);
  assert.deepEqual(Array.from(target[0].variable.dataSync()), [1, 2, 3, 4, 5, 6]);
});

test('a checkpoint of another network is damaged for this run, naming the tensor', () => {
  const other = [{ name: 'w', variable: tf.variable(tf.zeros([3, 2])) }];
  assert.throws(() => restoreCheckpoint(encodeCheckpoint(1, other), variables(), 'run/checkpoint'), damaged(/tensor 'w' missing or of another shape/));
});

test('a checkpoint past the last intact epoch of metrics.jsonl (its line torn) is not trusted, and nothing is restored', () => {
  const target = variables();
  tf.tidy(() => target.forEach((t) => t.variable.assign(tf.zerosLike(t.variable))));
  const bytes = encodeCheckpoint(2, variables());
  assert.throws(() => restoreCheckpoint(bytes, target, 'run/checkpoint', 1), damaged(/holds epoch 2, but metrics\.jsonl is intact only up to epoch 1: the line of epoch 2 is torn or missing/));
  for (const t of target) assert.ok(Array.from(t.variable.dataSync()).every((v) => v === 0));
  assert.equal(restoreCheckpoint(bytes, target, 'run/checkpoint', 2), 2);
});
