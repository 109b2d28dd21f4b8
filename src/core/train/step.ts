import * as tf from '@tensorflow/tfjs-core';
import type { Network } from './network';
import type { Sgd } from './sgd';

export interface StepOutput {
  /** Mean loss of the batch (a scalar tensor the caller disposes). */
  loss: tf.Scalar;
  /** Number of correct predictions in the batch (a scalar tensor the caller disposes). */
  correct: tf.Scalar;
}

/**
 * One training step: forward, loss, backward and the SGD update. Shared by the trainer and
 * the benchmark so that what is timed is what trains. Nothing is read back to the host: the
 * caller decides when to sync. `x` and `y` stay owned by the caller.
 */
export function trainStep(net: Network, sgd: Sgd, x: tf.Tensor4D, y: tf.Tensor1D, lr: number): StepOutput {
  const vars = sgd.variables;
  let correct: tf.Scalar | null = null;
  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const out = net.head.train(net.backbone.features(x, true) as tf.Tensor2D, y);
      correct = tf.keep(tf.sum<tf.Scalar>(tf.cast(tf.equal(tf.argMax(out.scores, 1), y), 'float32')));
      return out.loss;
    }, vars);
    sgd.step(grads, lr);
    return value;
  });
  return { loss, correct: correct! };
}
