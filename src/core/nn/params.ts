import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; every network is built through this module.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { Rng } from '../util/rng';

export interface Param {
  name: string;
  variable: tf.Variable;
  /** Weight decay applies to it (conv/linear weights always; biases and BN affine per config). */
  isWeight: boolean;
}

/**
 * Owns a network's tensors: trainable parameters and non-trainable buffers
 * (BN running statistics, fixed PEDCC centroids). Layers register here at build
 * time; the optimizer, checkpoints and parameter counts read from here.
 */
export class ParamStore {
  readonly params: Param[] = [];
  readonly buffers = new Map<string, tf.Variable>();
  private readonly names = new Set<string>();
  private static count = 0;
  /** tfjs variable names are engine-global; a per-store prefix lets several networks coexist. */
  private readonly prefix = `net${ParamStore.count++}/`;

  constructor(readonly rng: Rng) {}

  addParam(name: string, shape: number[], values: Float32Array, isWeight: boolean): tf.Variable {
    this.claim(name);
    const variable = variableFrom(values, shape, true, this.prefix + name);
    this.params.push({ name, variable, isWeight });
    return variable;
  }

  addBuffer(name: string, shape: number[], values: Float32Array): tf.Variable {
    this.claim(name);
    const variable = variableFrom(values, shape, false, this.prefix + name);
    this.buffers.set(name, variable);
    return variable;
  }

  trainableCount(): number {
    return this.params.reduce((n, p) => n + p.variable.size, 0);
  }

  /** Every tensor, in a stable order: what a checkpoint holds. */
  all(): { name: string; variable: tf.Variable }[] {
    // Checkpoints use the logical names (without the per-store prefix).
    return [...this.params.map((p) => ({ name: p.name, variable: p.variable })), ...[...this.buffers].map(([name, variable]) => ({ name, variable }))];
  }

  dispose(): void {
    for (const { variable } of this.all()) variable.dispose();
    this.params.length = 0;
    this.buffers.clear();
    this.names.clear();
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`internal: parameter '${name}' registered twice`);
    this.names.add(name);
  }
}

/** tf.variable keeps its own reference to the data: the initial tensor must be disposed, or it leaks. */
export function variableFrom(values: Float32Array, shape: number[], trainable: boolean, name: string): tf.Variable {
  const init = tf.tensor(values, shape, 'float32');
  const variable = tf.variable(init, trainable, name);
  init.dispose();
  return variable;
}

/** PyTorch's default init for Conv2d/Linear (kaiming_uniform with a=√5): U(−1/√fanIn, 1/√fanIn). */
export function uniformFanIn(rng: Rng, size: number, fanIn: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniform(-bound, bound);
  return out;
}

export function filled(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}
