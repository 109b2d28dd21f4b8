import * as tf from '@tensorflow/tfjs-core';
import { Batcher } from '../data/batcher';
import type { ImageDataset, ImageSplit } from '../data/types';
import { histogram } from '../results/histogram';
import type { LogitHistograms, WeightNorms } from '../results/types';
import { Rng } from '../util/rng';
import type { Network } from './network';

const EVAL_BATCH = 256;

function evalBatcher(ds: ImageDataset, split: ImageSplit): Batcher {
  return new Batcher(split, { height: ds.height, width: ds.width, channels: ds.channels, mean: ds.mean, std: ds.std, batchSize: EVAL_BATCH, rng: new Rng(0), shuffle: false });
}

function toTensors(ds: ImageDataset, x: Float32Array, y: Int32Array, size: number): [tf.Tensor4D, tf.Tensor1D] {
  return [tf.tensor4d(x, [size, ds.height, ds.width, ds.channels]), tf.tensor1d(y, 'int32')];
}

/** Mean loss and accuracy of the network in evaluation mode over a whole split. */
export function evaluate(net: Network, ds: ImageDataset, split: ImageSplit): { loss: number; acc: number } {
  let lossSum = 0;
  let correct = 0;
  for (const batch of evalBatcher(ds, split).epoch()) {
    const [l, c] = tf.tidy((): [tf.Tensor, tf.Tensor] => {
      const [x, y] = toTensors(ds, batch.x, batch.y, batch.size);
      const out = net.head.evaluate(net.backbone.features(x, false) as tf.Tensor2D, y);
      return [tf.mul(out.loss, batch.size), tf.sum(tf.cast(tf.equal(tf.argMax(out.scores, 1), y), 'float32'))];
    });
    lossSum += l.dataSync()[0];
    correct += c.dataSync()[0];
    l.dispose();
    c.dispose();
  }
  return { loss: lossSum / split.count, acc: correct / split.count };
}

/** Output-value histograms before/after the scaled BN (paper Fig. 2) and per-class weight norms (Fig. 3). */
export function diagnostics(net: Network, ds: ImageDataset, split: ImageSplit): { logits: LogitHistograms; weightNorms: WeightNorms | null } {
  const before: number[] = [];
  const after: number[] = [];
  for (const batch of evalBatcher(ds, split).epoch()) {
    tf.tidy(() => {
      const [x] = toTensors(ds, batch.x, batch.y, batch.size);
      const out = net.head.outputs(net.backbone.features(x, false) as tf.Tensor2D);
      for (const v of out.before.dataSync()) before.push(v);
      if (out.after) for (const v of out.after.dataSync()) after.push(v);
    });
  }
  const w = net.head.classWeights();
  let weightNorms: WeightNorms | null = null;
  if (w) {
    const norms = tf.norm(w, 'euclidean', 0);
    weightNorms = { norms: Array.from(norms.dataSync()) };
    norms.dispose();
  }
  return { logits: { before: histogram(before), after: after.length ? histogram(after) : undefined }, weightNorms };
}
