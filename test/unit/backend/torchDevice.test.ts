// LOSSLAB_TORCH_DEVICE: every documented form, and anything else refused by name (never read as the CPU).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTorchDevice } from '../../../src/core/backend/torch/registerTorch';

test('the documented devices parse; an empty value is auto', () => {
  for (const d of ['auto', 'cpu', 'cuda', 'cuda:0', 'cuda:1', 'mps']) assert.equal(parseTorchDevice(d), d);
  assert.equal(parseTorchDevice(undefined), 'auto');
  assert.equal(parseTorchDevice(''), 'auto');
  assert.equal(parseTorchDevice(' CUDA:1 '), 'cuda:1');
});

test('anything else is one line naming the variable, the value and the forms allowed', () => {
  for (const bad of ['banana', 'gpu', 'cuda:', 'cuda:-1', 'cuda:x', 'cpu:0']) {
    assert.throws(
      () => parseTorchDevice(bad),
      (e: Error) => e.message === `LOSSLAB_TORCH_DEVICE='${bad}' is not a device: use auto, cpu, cuda, cuda:N (N = 0, 1, …) or mps`,
    );
  }
});
