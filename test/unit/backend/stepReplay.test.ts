// The torch engine's replayed training step (stepReplay.ts): the same bits as the step through
// TensorFlow.js, for the networks and heads we train, and the normal path wherever a step is not
// static. The engine must be built (npm run build:native).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setFastPaths } from '../../../src/core/backend/fastPaths';
import { selectBackend } from '../../../src/core/backend/selectBackend';
import type { LossConfig, ModelConfig } from '../../../src/core/config/types';
import { buildNetwork } from '../../../src/core/train/network';
import { Sgd } from '../../../src/core/train/sgd';
import { stepReplayOf, trainStep } from '../../../src/core/train/step';
import { randomValues } from '../helpers/tfTest';

before(async () => {
  await selectBackend('torch');
});

interface Run {
  /** Every variable's bytes after the steps: weights, momentum buffers, running statistics. */
  state: Map<string, Uint8Array>;
  losses: number[];
  replayed: number;
  reason?: string;
}

const SIZE = 16;
const CLASSES = 10;

/** `steps` SGD steps on fixed random batches (the last one `lastBatch` images), replayed or not. */
function train(
  model: ModelConfig,
  loss: LossConfig,
  steps: number,
  replay: boolean,
  opts: { batch?: number; lastBatch?: number; lr?: (step: number) => number; beforeStep?: (step: number) => void } = {},
): Run {
  const before = setFastPaths({ stepReplay: replay });
  const net = buildNetwork(model, loss, 3, CLASSES, 1);
  const sgd = new Sgd(net.store.params, { momentum: 0.9, weightDecay: 5e-4, decayBiasAndBn: true });
  const losses: number[] = [];
  try {
    for (let i = 0; i < steps; i++) {
      opts.beforeStep?.(i);
      const n = i === steps - 1 && opts.lastBatch ? opts.lastBatch : (opts.batch ?? 8);
      const x = tf.tensor4d(randomValues(n * SIZE * SIZE * 3, 11 + i), [n, SIZE, SIZE, 3]);
      const y = tf.tensor1d(
        Int32Array.from({ length: n }, (_, k) => (k * 7 + i) % CLASSES),
        'int32',
      );
      const out = trainStep(net, sgd, x, y, opts.lr?.(i) ?? 0.05);
      losses.push(out.loss.dataSync()[0], out.correct.dataSync()[0]);
      tf.dispose([out.loss, out.correct, x, y]);
    }
    const variables = [...net.store.all(), ...sgd.buffers.map((b) => ({ name: b.name, variable: b }))];
    const state = new Map(variables.map(({ name, variable }) => [name.replace(/^net\d+\//, ''), new Uint8Array(variable.dataSync().buffer.slice(0))]));
    const replayer = stepReplayOf(sgd);
    return { state, losses, replayed: replayer?.replayed ?? 0, reason: replayer?.lastReason };
  } finally {
    net.store.dispose();
    sgd.dispose();
    setFastPaths(before);
  }
}

function assertSameBits(replayed: Run, plain: Run): void {
  assert.deepEqual(replayed.losses, plain.losses, 'losses and correct counts of every step');
  assert.deepEqual([...replayed.state.keys()], [...plain.state.keys()]);
  for (const [name, bytes] of plain.state) assert.ok(Buffer.from(bytes).equals(Buffer.from(replayed.state.get(name)!)), `${name}: the same bytes`);
}

const STEPS = 6;

for (const [model, loss] of [
  [{ name: 'simple-cnn' }, { name: 'ce' }],
  [{ name: 'resnet18', width: 0.125 }, { name: 'ce' }],
  [
    { name: 'resnet18', width: 0.125 },
    { name: 'scaled-bn', m: 0.9 },
  ],
  [{ name: 'simple-cnn' }, { name: 'center', lambda: 0.1 }],
] as [ModelConfig, LossConfig][]) {
  test(`${model.name} ${model.width ?? 1} with ${loss.name}: replayed steps give the normal path's bytes`, () => {
    const plain = train(model, loss, STEPS, false);
    const replayed = train(model, loss, STEPS, true);
    assert.equal(plain.replayed, 0);
    assert.equal(replayed.replayed, STEPS - 2, `two steps are recorded, the rest replayed (${replayed.reason})`);
    assertSameBits(replayed, plain);
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'losslab-replay-'));
const lossModule = (name: string, body: string) => {
  const file = path.join(dir, `${name}.ts`);
  writeFileSync(
    file,
    `import * as tf from '@tensorflow/tfjs-core';
export default function createLoss({ store, featureDim, numClasses }: any) {
  const w = store.addParam('fc.weight', [featureDim, numClasses], new Float32Array(featureDim * numClasses).fill(0.01), true);
  ${body}
  return {
    train(f: tf.Tensor2D, y: tf.Tensor1D) {
      const z = tf.mul(tf.matMul(f, w), scale()) as tf.Tensor2D;
      const loss = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(z), tf.oneHot(y, numClasses)), 1))) as tf.Scalar;
      return { loss, scores: z };
    },
  };
}
`,
  );
  return { name: 'custom', module: file } as LossConfig;
};

test("a custom loss module's steps are replayed with the normal path's bytes", () => {
  const loss = lossModule('ce', 'const scale = () => 2;');
  const plain = train({ name: 'simple-cnn' }, loss, STEPS, false);
  const replayed = train({ name: 'simple-cnn' }, loss, STEPS, true);
  assert.equal(replayed.replayed, STEPS - 2, replayed.reason);
  assertSameBits(replayed, plain);
});

test('a custom loss whose uploaded values change every step is never replayed, and trains as before', () => {
  const loss = lossModule('noisy', 'let calls = 0; const scale = () => 1 + (calls++ % 5) / 10;');
  const plain = train({ name: 'simple-cnn' }, loss, STEPS, false);
  const replayed = train({ name: 'simple-cnn' }, loss, STEPS, true);
  assert.equal(replayed.replayed, 0);
  assert.match(replayed.reason ?? '', /differ/);
  assertSameBits(replayed, plain);
});

test('a custom loss that reads a tensor back to the host inside the step is not replayed', () => {
  const loss = lossModule('reads', 'const scale = () => tf.scalar(2).dataSync()[0];');
  const replayed = train({ name: 'simple-cnn' }, loss, STEPS, true);
  assert.equal(replayed.replayed, 0);
  assert.match(replayed.reason ?? '', /reads a tensor back to the host/);
});

test('a smaller last batch and a new learning rate take the normal path or a plan of their own, with the same bytes', () => {
  const lr = (i: number) => (i < 5 ? 0.05 : 0.01);
  const opts = { lastBatch: 5, lr };
  const plain = train({ name: 'resnet18', width: 0.125 }, { name: 'scaled-bn', m: 0.9 }, 9, false, opts);
  const replayed = train({ name: 'resnet18', width: 0.125 }, { name: 'scaled-bn', m: 0.9 }, 9, true, opts);
  // lr 0.05: steps 0-1 recorded, 2-4 replayed; lr 0.01: steps 5-6 recorded, 7 replayed; the last batch is recorded once.
  assert.equal(replayed.replayed, 4);
  assertSameBits(replayed, plain);
});

test('a persistent tensor the step reads, replaced between steps, is read anew: its old slot may hold another tensor by then', () => {
  const holder = globalThis as { replayScale?: tf.Tensor };
  const loss = lossModule('held', 'const scale = () => (globalThis as any).replayScale;');
  const kept: tf.Tensor[] = [];
  const beforeStep = (i: number) => {
    if (i === 0) holder.replayScale = tf.scalar(2);
    if (i !== 4) return;
    holder.replayScale!.dispose();
    kept.push(tf.scalar(7)); // takes the freed slot
    holder.replayScale = tf.scalar(3);
  };
  const plain = train({ name: 'simple-cnn' }, loss, 8, false, { beforeStep });
  const replayed = train({ name: 'simple-cnn' }, loss, 8, true, { beforeStep });
  tf.dispose([...kept, holder.replayScale!]);
  // Steps 0-1 recorded, 2-3 replayed; 4-5 recorded again, 6-7 replayed.
  assert.equal(replayed.replayed, 4);
  assertSameBits(replayed, plain);
});
