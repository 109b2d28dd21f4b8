import * as tf from '@tensorflow/tfjs-core';

/**
 * The cpu backend's first tensor prints tfjs's advice to install tfjs-node through tfjs's own
 * warn, which the IS_TEST flag silences. The flag is set for that one write only: it also turns
 * on tfjs's per-kernel leak checks, which are not wanted for the rest of the process.
 */
export function skipCpuBanner(): void {
  if (tf.getBackend() !== 'cpu') return;
  const env = tf.env();
  const was = env.getBool('IS_TEST');
  env.set('IS_TEST', true);
  try {
    tf.tensor([0]).dispose();
  } finally {
    env.set('IS_TEST', was);
  }
}
