import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, conv2d, globalAvgPool, Layer, relu, scaled, sequential } from '../nn/layers';
import type { ParamStore } from '../nn/params';
import type { Backbone } from './backbone';

/** conv–BN, the unit every block is made of. */
function convBn(store: ParamStore, name: string, i: number, o: number, k: number, stride: number): Layer {
  return sequential(conv2d(store, `${name}.conv`, i, o, k, { stride }), batchNorm(store, `${name}.bn`, o));
}

/** 1×1 conv–BN projection when the shape changes, identity otherwise. */
function shortcut(store: ParamStore, name: string, i: number, o: number, stride: number): Layer {
  return stride !== 1 || i !== o ? convBn(store, `${name}.shortcut`, i, o, 1, stride) : (x) => x;
}

function basicBlock(store: ParamStore, name: string, i: number, o: number, stride: number): Layer {
  const body = sequential(convBn(store, `${name}.1`, i, o, 3, stride), relu, convBn(store, `${name}.2`, o, o, 3, 1));
  const skip = shortcut(store, name, i, o, stride);
  return (x, t) => tf.relu(tf.add(body(x, t), skip(x, t)));
}

const EXPANSION = 4;

function bottleneck(store: ParamStore, name: string, i: number, planes: number, stride: number): Layer {
  const o = planes * EXPANSION;
  const body = sequential(convBn(store, `${name}.1`, i, planes, 1, 1), relu, convBn(store, `${name}.2`, planes, planes, 3, stride), relu, convBn(store, `${name}.3`, planes, o, 1, 1));
  const skip = shortcut(store, name, i, o, stride);
  return (x, t) => tf.relu(tf.add(body(x, t), skip(x, t)));
}

/**
 * CIFAR ResNets: 3×3 stem conv with stride 1 and no max-pool (32×32 inputs would
 * otherwise shrink to nothing), four stages at strides 1, 2, 2, 2, global average pool.
 */
function resnet(store: ParamStore, inC: number, width: number, blocks: number[], kind: 'basic' | 'bottleneck'): Backbone {
  const stem = scaled(64, width);
  const layers: Layer[] = [convBn(store, 'stem', inC, stem, 3, 1), relu];
  let c = stem;
  blocks.forEach((count, stage) => {
    const planes = scaled(64 * 2 ** stage, width);
    for (let b = 0; b < count; b++) {
      const stride = b === 0 && stage > 0 ? 2 : 1;
      const name = `layer${stage + 1}.${b}`;
      if (kind === 'basic') {
        layers.push(basicBlock(store, name, c, planes, stride));
        c = planes;
      } else {
        layers.push(bottleneck(store, name, c, planes, stride));
        c = planes * EXPANSION;
      }
    }
  });
  layers.push(globalAvgPool);
  return { features: sequential(...layers), featureDim: c };
}

export const resnet18 = (store: ParamStore, inC: number, width: number): Backbone => resnet(store, inC, width, [2, 2, 2, 2], 'basic');
export const resnet50 = (store: ParamStore, inC: number, width: number): Backbone => resnet(store, inC, width, [3, 4, 6, 3], 'bottleneck');
