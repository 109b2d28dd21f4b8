/** What every Check Loss check receives: a freshly created head on a small random batch. */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../nn/params';
import type { CheckResult } from './checkResults';
import type { LossHead } from './head';

export interface Setup {
  head: LossHead;
  store: ParamStore;
  /** The head's input, a variable so that checks can differentiate and train it. */
  features: tf.Variable;
  labels: tf.Tensor1D;
  n: number;
  k: number;
  d: number;
  /** Variables createLoss made without the store: the optimizer and checkpoints never see them. */
  unregistered: tf.Variable[];
}

export type Check = ((s: Setup) => CheckResult) & { title: string };

export function named(title: string, f: (s: Setup) => CheckResult): Check {
  return Object.assign(f, { title });
}

export const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toFixed(4) : x.toExponential(2)) : String(x));

export const asMatrix = (v: tf.Variable) => v as unknown as tf.Tensor2D;

/** The training loss as a number, with the variables at their current values. */
export const lossValue = ({ head, features, labels }: Setup) => tf.tidy(() => head.train(asMatrix(features), labels).loss.dataSync()[0]);

/** The input and the store's parameters: what the checks differentiate and train. */
export const trainables = ({ store, features }: Setup) => [{ name: 'input', v: features }, ...store.params.map((p) => ({ name: p.name, v: p.variable }))];

/** The variables the engine holds now, to tell which ones a call created. */
export const engineVariables = (): Set<tf.Variable> => new Set(Object.values(tf.engine().registeredVariables));
