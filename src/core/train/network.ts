import type { LossConfig, ModelConfig } from '../config/types';
import { createHead, LossHead } from '../losses';
import { buildBackbone, Backbone } from '../models';
import { ParamStore } from '../nn/params';
import { Rng } from '../util/rng';

export interface Network {
  store: ParamStore;
  backbone: Backbone;
  head: LossHead;
  /** Trainable parameters, BN running statistics and fixed centroids excluded. */
  trainableCount: number;
}

/** Backbone + loss head, initialised from the seed (parameters in registration order). */
export function buildNetwork(model: ModelConfig, loss: LossConfig, inputChannels: number, numClasses: number, seed: number): Network {
  const store = new ParamStore(new Rng(seed));
  const backbone = buildBackbone(model, inputChannels, store);
  const head = createHead(loss, store, backbone.featureDim, numClasses, seed);
  return { store, backbone, head, trainableCount: store.trainableCount() };
}
