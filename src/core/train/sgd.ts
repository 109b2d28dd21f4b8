import * as tf from '@tensorflow/tfjs-core';
import { activeHostBackend, hostValues, hostWritten } from '../backend/hostArrays';
import { fastPaths } from '../backend/fastPaths';
import { nativeSgdBackend, type TorchBackend } from '../backend/torch/torchBackend';
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
    const native = fastPaths.fusedSgd ? nativeSgdBackend() : null;
    if (native) {
      this.stepNative(native, grads, lr);
      return;
    }
    const host = fastPaths.fusedSgd ? activeHostBackend() : null;
    if (host) {
      this.stepInPlace(host, grads, lr);
      return;
    }
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

  /** The same update in one libtorch call for all parameters (torch backend). */
  private stepNative(backend: TorchBackend, grads: tf.NamedTensorMap, lr: number): void {
    const withGrad = this.params.map((p, i) => ({ p, i, grad: grads[p.variable.name] })).filter((e) => e.grad);
    backend.sgdUpdate(
      withGrad.map((e) => e.p.variable),
      withGrad.map((e) => e.grad),
      withGrad.map((e) => this.buffers[e.i]),
      lr,
      this.opts.momentum,
      withGrad.map((e) => (e.p.isWeight || this.opts.decayBiasAndBn ? this.opts.weightDecay : 0)),
    );
  }

  /**
   * The same update as one loop per parameter over the backend's own storage (wasm, cpu),
   * rounding to float32 after every operation as the op-by-op version does, so both give
   * bit-identical parameters.
   */
  private stepInPlace(backend: tf.KernelBackend, grads: tf.NamedTensorMap, lr: number): void {
    const f = Math.fround;
    const momentum = f(this.opts.momentum);
    const rate = f(lr);
    this.params.forEach((p, i) => {
      const grad = grads[p.variable.name];
      if (!grad) return;
      const decay = f(p.isWeight || this.opts.decayBiasAndBn ? this.opts.weightDecay : 0);
      const w = hostValues(backend, p.variable);
      const g = hostValues(backend, grad);
      const buf = momentum ? hostValues(backend, this.buffers[i]) : null;
      for (let k = 0; k < w.length; k++) {
        let d = decay ? f(g[k] + f(w[k] * decay)) : g[k];
        if (buf) {
          d = f(f(buf[k] * momentum) + d);
          buf[k] = d;
        }
        w[k] = w[k] - f(d * rate);
      }
      hostWritten(backend, p.variable);
      if (momentum) hostWritten(backend, this.buffers[i]);
    });
  }

  dispose(): void {
    for (const b of this.buffers) b.dispose();
  }
}
