import * as tf from '@tensorflow/tfjs-core';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNetwork } from '../../../src/core/train/network';
import { useCpu } from '../helpers/tfTest';

before(useCpu);

// Standard counts, derived from torchvision's published totals (ResNet-18 11,689,512; ResNet-50
// 25,557,032) minus the 7×7 stem (9,408 → 3×3: 1,728) and the 1000-way classifier, plus a
// 100-way one; VGG-16-BN CIFAR: 14,723,136 conv/BN parameters + 512·100 + 100.
const CASES = [
  { model: 'resnet18', expected: 11_689_512 - 9408 + 1728 - 513_000 + 51_300 }, // 11,220,132
  { model: 'resnet50', expected: 25_557_032 - 9408 + 1728 - 2_049_000 + 204_900 }, // 23,705,252
  { model: 'vgg16', expected: 14_723_136 + 51_300 }, // 14,774,436
] as const;

for (const { model, expected } of CASES) {
  test(`${model} width 1 with a CE head for 100 classes has ${expected.toLocaleString('en')} trainable parameters`, () => {
    const net = buildNetwork({ name: model, width: 1 }, { name: 'ce' }, 3, 100, 1);
    assert.equal(net.trainableCount, expected);
    net.store.dispose();
  });
}

test('simple-cnn: 3·9·32 + 32·9·32 + 32·9·64 + 64·9·64 conv weights, 2 BN params per channel, CE head', () => {
  const net = buildNetwork({ name: 'simple-cnn', width: 1 }, { name: 'ce' }, 1, 10, 1);
  const convs = 1 * 9 * 32 + 32 * 9 * 32 + 32 * 9 * 64 + 64 * 9 * 64;
  assert.equal(net.trainableCount, convs + 2 * (32 + 32 + 64 + 64) + 64 * 10 + 10);
  net.store.dispose();
});

for (const model of ['simple-cnn', 'vgg16', 'resnet18', 'resnet50'] as const) {
  for (const size of [28, 32, 64]) {
    test(`${model} ×0.125 gives (N, classes) scores on ${size}×${size} input in train and eval mode`, () => {
      const net = buildNetwork({ name: model, width: 0.125 }, { name: 'scaled-bn', m: 0.9 }, 3, 7, 1);
      tf.tidy(() => {
        const x = tf.randomNormal([2, size, size, 3]);
        const y = tf.tensor1d([0, 6], 'int32');
        for (const training of [true, false]) {
          const f = net.backbone.features(x, training) as tf.Tensor2D;
          const out = training ? net.head.train(f, y) : net.head.evaluate(f, y);
          assert.deepEqual(out.scores.shape, [2, 7]);
          assert.ok(Number.isFinite(out.loss.dataSync()[0]));
        }
      });
      net.store.dispose();
    });
  }
}
