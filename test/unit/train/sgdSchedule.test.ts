import * as tf from '@tensorflow/tfjs-core';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamStore } from '../../../src/core/nn/params';
import { learningRateAt } from '../../../src/core/train/schedule';
import { Sgd } from '../../../src/core/train/sgd';
import { Rng } from '../../../src/core/util/rng';
import { useCpu } from '../helpers/tfTest';

before(useCpu);

test('SGD matches torch.optim.SGD by hand (momentum 0.9, wd 0.1, lr 0.1, constant gradient 0.5)', () => {
  const store = new ParamStore(new Rng(0));
  const w = store.addParam('w', [1], Float32Array.of(1), true);
  const b = store.addParam('b', [1], Float32Array.of(1), false);
  const sgd = new Sgd(store.params, { momentum: 0.9, weightDecay: 0.1, decayBiasAndBn: false });
  const grads = { [w.name]: tf.tensor1d([0.5]), [b.name]: tf.tensor1d([0.5]) };
  sgd.step(grads, 0.1);
  assert.ok(Math.abs(w.dataSync()[0] - 0.94) < 1e-6); // g=0.5+0.1·1, buf=0.6, p=1−0.06
  assert.ok(Math.abs(b.dataSync()[0] - 0.95) < 1e-6); // bias not decayed: buf=0.5
  sgd.step(grads, 0.1);
  assert.ok(Math.abs(w.dataSync()[0] - 0.8266) < 1e-6); // g=0.5+0.094, buf=0.54+0.594=1.134
  assert.ok(Math.abs(b.dataSync()[0] - 0.855) < 1e-6); // buf=0.45+0.5=0.95
});

test('SGD decays biases and BN parameters when decayBiasAndBn (PyTorch default)', () => {
  const store = new ParamStore(new Rng(0));
  const b = store.addParam('b', [1], Float32Array.of(1), false);
  const sgd = new Sgd(store.params, { momentum: 0, weightDecay: 0.1, decayBiasAndBn: true });
  sgd.step({ [b.name]: tf.tensor1d([0.5]) }, 0.1);
  assert.ok(Math.abs(b.dataSync()[0] - 0.94) < 1e-6);
});

test('multistep schedule: lr 0.1 ×0.1 after epochs 30, 60, 90 (1-based epochs)', () => {
  const t = { lr: 0.1, gamma: 0.1, milestones: [30, 60, 90] };
  const at = (e: number) => learningRateAt(e, t);
  assert.equal(at(1), 0.1);
  assert.equal(at(30), 0.1);
  assert.ok(Math.abs(at(31) - 0.01) < 1e-12);
  assert.ok(Math.abs(at(61) - 0.001) < 1e-12);
  assert.ok(Math.abs(at(100) - 0.0001) < 1e-12);
});
