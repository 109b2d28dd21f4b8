import * as tf from '@tensorflow/tfjs-core';
import { Param, variableFrom } from '../nn/params';

export interface SgdOptions {
  momentum: number;
  weightDecay: number;
  /** Decay biases and BN parameters too (PyTorch's default when all parameters share one group). */
  decayBiasAndBn: boolean;
}

/**
 * SGD with momentum and weight decay exactly as torch.optim.SGD (dampening 0, no Nesterov):
 *   g ← ∇ + wd·p;   buf ← momentum·buf + g  (buf starts at 0, so the first step gives buf = g);   p ← p − lr·buf
 */
export class Sgd {
  readonly buffers: tf.Variable[];
  /** The parameters' variables, in order: what the gradient is taken with respect to. */
  readonly variables: tf.Variable[];

  constructor(
    private readonly params: readonly Param[],
    private readonly opts: SgdOptions,
  ) {
    this.variables = params.map((p) => p.variable);
    this.buffers = params.map((p) => variableFrom(new Float32Array(p.variable.size), p.variable.shape, false, `${p.variable.name}.momentum_buffer`));
  }

  /** Applies one update; `grads` is keyed by variable name as tf.variableGrads returns it. */
  step(grads: tf.NamedTensorMap, lr: number): void {
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const grad = grads[p.variable.name];
        if (!grad) return; // a parameter the loss does not reach this step
        const decay = p.isWeight || this.opts.decayBiasAndBn ? this.opts.weightDecay : 0;
        const g = decay ? tf.add(grad, tf.mul(p.variable, decay)) : grad;
        const buf = this.buffers[i];
        const next = this.opts.momentum ? tf.add(tf.mul(buf, this.opts.momentum), g) : g;
        if (this.opts.momentum) buf.assign(next);
        p.variable.assign(tf.sub(p.variable, tf.mul(next, lr)));
      });
    });
  }

  dispose(): void {
    for (const b of this.buffers) b.dispose();
  }
}
