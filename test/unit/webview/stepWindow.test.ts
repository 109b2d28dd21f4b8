import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepWindow } from '../../../webview/stepWindow';

test('the epoch axis at full range needs no step points; zoomed, the window in global steps', () => {
  assert.equal(stepWindow('epoch', [undefined, undefined], 23), undefined);
  // Epochs 2.5–4.1 at 23 steps an epoch: steps 57.5 → 57 to 94.3 → 95.
  assert.deepEqual(stepWindow('epoch', [{ min: 2.5, max: 4.1 }, undefined], 23), { from: 57, to: 95 });
});

test('the step axis needs every step unless both train charts are zoomed, then the span of both windows', () => {
  assert.deepEqual(stepWindow('step', [undefined, undefined], 23), {});
  assert.deepEqual(stepWindow('step', [{ min: 100, max: 200 }, undefined], 23), {});
  assert.deepEqual(
    stepWindow(
      'step',
      [
        { min: 100.5, max: 200 },
        { min: 150, max: 260.2 },
      ],
      23,
    ),
    { from: 100, to: 261 },
  );
});

test('wall time needs every step: seconds do not say which steps they are', () => {
  assert.deepEqual(stepWindow('wall', [{ min: 10, max: 20 }, undefined], 23), {});
});
