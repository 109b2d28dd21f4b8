import { test } from 'node:test';
import assert from 'node:assert/strict';
import { perFrame } from '../../../webview/frameThrottle';

test('many calls in one frame run once, with the latest arguments; the next frame runs again', () => {
  const frames: (() => void)[] = [];
  const calls: number[] = [];
  const smooth = perFrame(
    (w: number) => calls.push(w),
    (cb) => frames.push(cb),
  );
  smooth(0.1);
  smooth(0.4);
  smooth(0.7);
  assert.equal(frames.length, 1);
  assert.deepEqual(calls, []);
  frames.shift()!();
  assert.deepEqual(calls, [0.7]);
  smooth(0.2);
  assert.equal(frames.length, 1);
  frames.shift()!();
  assert.deepEqual(calls, [0.7, 0.2]);
});
