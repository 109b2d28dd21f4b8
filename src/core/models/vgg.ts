import { batchNorm, conv2d, globalAvgPool, Layer, maxPool, relu, scaled, sequential } from '../nn/layers';
import type { ParamStore } from '../nn/params';
import type { Backbone } from './backbone';

const VGG16: (number | 'M')[] = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];

/**
 * VGG-16 with BN, CIFAR variant (one classifier layer after the convs, as in the
 * common CIFAR code bases): conv3×3 (with bias)–BN–ReLU stacks and 5 max-pools.
 * Global average pooling makes it work for any input size (at 32×32 the map is 1×1 already).
 */
export function vgg16(store: ParamStore, inC: number, width: number): Backbone {
  const layers: Layer[] = [];
  let c = inC;
  let i = 0;
  for (const v of VGG16) {
    if (v === 'M') {
      layers.push(maxPool(2));
      continue;
    }
    const o = scaled(v, width);
    layers.push(conv2d(store, `features.${i}.conv`, c, o, 3, { bias: true }), batchNorm(store, `features.${i}.bn`, o), relu);
    c = o;
    i++;
  }
  layers.push(globalAvgPool);
  return { features: sequential(...layers), featureDim: c };
}
