import type { ModelConfig } from '../config/types';
import type { ParamStore } from '../nn/params';
import type { Backbone } from './backbone';
import { resnet18, resnet50 } from './resnet';
import { simpleCnn } from './simpleCnn';
import { vgg16 } from './vgg';

export type { Backbone } from './backbone';

const BUILDERS: Record<ModelConfig['name'], (store: ParamStore, inC: number, width: number) => Backbone> = {
  'simple-cnn': simpleCnn,
  vgg16,
  resnet18,
  resnet50,
};

export function buildBackbone(model: ModelConfig, inputChannels: number, store: ParamStore): Backbone {
  const build = BUILDERS[model.name];
  if (!build) throw new Error(`unknown model '${model.name}' (allowed: ${Object.keys(BUILDERS).join(', ')})`);
  return build(store, inputChannels, model.width ?? 1);
}
