import * as tf from '@tensorflow/tfjs-core';
import type { LossConfig } from '../config/types';
import type { ParamStore } from '../nn/params';
import { customHead } from './customModule';
import type { LossHead } from './head';
import { lossDescriptor, lossOptions } from './registry';

export type { LossHead } from './head';

/** The head of a loss: a built-in's descriptor or the user's module, through the same factory call. */
export function createHead(loss: LossConfig, store: ParamStore, featureDim: number, numClasses: number, seed: number): LossHead {
  if (loss.name === 'custom') return customHead(loss, store, featureDim, numClasses, seed);
  const descriptor = lossDescriptor(loss.name);
  if (!descriptor) throw new Error(`unknown loss ${JSON.stringify(loss)}`);
  return descriptor.createLoss({ tf, store, featureDim, numClasses, options: lossOptions(loss), seed });
}
