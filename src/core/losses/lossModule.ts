/**
 * The contract between Loss Lab and a loss module, built-in or the user's: what the factory
 * receives and what it returns. Types only, with no Node imports, so the webview's type check can
 * follow the loss descriptors without the module loader (customModule.ts).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../nn/params';
import type { HeadOutput } from './head';

/** What the module's factory receives. */
export interface CustomLossContext {
  /** The worker's own tfjs-core: use it (or an import of '@tensorflow/tfjs-core', which is the same object). */
  tf: typeof tf;
  /** Register the head's parameters here (`store.addParam(name, shape, values, isWeight)`): the optimizer, weight decay and checkpoints use them. */
  store: ParamStore;
  featureDim: number;
  numClasses: number;
  /** The config's `options`, validated against the module's `optionsSchema` (defaults filled in) when it exports one. */
  options: Record<string, unknown>;
  /** The run's seed, for values a head draws once and keeps fixed (PEDCC's centroids); absent when checking a module. */
  seed?: number;
}

/** What the factory returns: `train` is required; `evaluate` defaults to `train`, `outputs` to the scores, `classWeights` to none. */
export interface CustomLossHead {
  train(features: tf.Tensor2D, labels: tf.Tensor1D): HeadOutput;
  evaluate?(features: tf.Tensor2D, labels: tf.Tensor1D): HeadOutput;
  outputs?(features: tf.Tensor2D): { before: tf.Tensor2D; after?: tf.Tensor2D };
  classWeights?(): tf.Tensor2D | null;
  evalMode?: string;
}
