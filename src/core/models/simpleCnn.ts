import { batchNorm, conv2d, globalAvgPool, Layer, maxPool, relu, scaled, sequential } from '../nn/layers';
import type { ParamStore } from '../nn/params';
import type { Backbone } from './backbone';

/**
 * [conv3×3(32)–BN–ReLU]×2, maxpool 2, [conv3×3(64)–BN–ReLU]×2, maxpool 2, global average pool.
 * Exactly this network is mirrored in bench/pytorch_step.py for the framework comparison.
 * Convs have no bias: the BN right after removes it.
 */
export function simpleCnn(store: ParamStore, inC: number, width: number): Backbone {
  const c1 = scaled(32, width);
  const c2 = scaled(64, width);
  const block = (name: string, i: number, o: number): Layer => sequential(conv2d(store, `${name}.conv`, i, o, 3), batchNorm(store, `${name}.bn`, o), relu);
  const features = sequential(block('block1', inC, c1), block('block2', c1, c1), maxPool(2), block('block3', c1, c2), block('block4', c2, c2), maxPool(2), globalAvgPool);
  return { features, featureDim: c2 };
}
