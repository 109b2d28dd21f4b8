import * as tf from '@tensorflow/tfjs-core';
import { fastPaths } from '../backend/fastPaths';
import { StepReplayer } from '../backend/torch/stepReplay';
import { nativeSgdBackend } from '../backend/torch/torchBackend';
import type { Network } from './network';
import type { Sgd } from './sgd';

export interface StepOutput {
  /** Mean loss of the batch (a scalar tensor the caller disposes). */
  loss: tf.Scalar;
  /** Number of correct predictions in the batch (a scalar tensor the caller disposes). */
  correct: tf.Scalar;
}

/** One replayer per optimiser, hence per network being trained. */
const replayers = new WeakMap<Sgd, StepReplayer>();

/**
 * One training step: forward, loss, backward and the SGD update. Shared by the trainer and
 * the benchmark so that what is timed is what trains. Nothing is read back to the host: the
 * caller decides when to sync. `x` and `y` stay owned by the caller. On the torch engine the
 * step is replayed from a recording once it has proved static (stepReplay.ts).
 */
export function trainStep(net: Network, sgd: Sgd, x: tf.Tensor4D, y: tf.Tensor1D, lr: number): StepOutput {
  const normal = () => plainStep(net, sgd, x, y, lr);
  const backend = fastPaths.stepReplay ? nativeSgdBackend() : null;
  if (!backend) return normal();
  let replayer = replayers.get(sgd);
  if (!replayer) {
    replayer = new StepReplayer(backend);
    replayers.set(sgd, replayer);
  }
  // Everything the recorded calls depend on besides the tensors themselves.
  const key = `x ${x.dtype}[${x.shape.join(',')}] y ${y.dtype}[${y.shape.join(',')}] lr=${lr} ${JSON.stringify(fastPaths)}`;
  return replayer.step(key, x, y, normal);
}

/** The step replay of this optimiser's training, if any (tests, the bench). */
export function stepReplayOf(sgd: Sgd): StepReplayer | undefined {
  return replayers.get(sgd);
}

function plainStep(net: Network, sgd: Sgd, x: tf.Tensor4D, y: tf.Tensor1D, lr: number): StepOutput {
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
