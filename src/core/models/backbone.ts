import type { Layer } from '../nn/layers';

/** A network up to (and including) global pooling: images (N,H,W,C) → features (N, featureDim). The loss head follows. */
export interface Backbone {
  features: Layer;
  featureDim: number;
}
