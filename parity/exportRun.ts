// The Loss Lab side of the parity harness: trains one model × loss for a few steps
// exactly as the trainer does (buildNetwork, Sgd, trainStep, Batcher augmentation) and writes
// everything a PyTorch mirror needs to redo the same steps and compare, to one folder:
//   manifest.json  what was trained, the per-step loss, the eval result, and an index of
//   tensors.bin    every tensor as little-endian float32 / int32, in Loss Lab's own layout
//                  (NHWC images, HWIO conv filters, (in, out) linear weights).
// Tensor keys: state/<i>/<name> (every parameter and buffer after i steps: i = 0 is the
// initialisation, i = steps the end), state/<i>/momentum/<name> (Sgd.buffers after i steps),
// batch/<i>/x and batch/<i>/y (the exact tensors fed at step i + 1, after augmentation),
// grad/<i>/<name> (the gradient Loss Lab's Sgd.step received at step i + 1),
// eval/x, eval/y, eval/scores (the final network in evaluation mode on a fixed batch),
// data/images and data/labels (the raw uint8 training images the batches were made from).
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LossConfig, ModelConfig } from '../src/core/config/types';
import { Batcher } from '../src/core/data/batcher';
import type { ImageSplit } from '../src/core/data/types';
import { buildNetwork } from '../src/core/train/network';
import { Sgd } from '../src/core/train/sgd';
import { trainStep } from '../src/core/train/step';
import { Rng } from '../src/core/util/rng';

export interface ExportOptions {
  model: Required<ModelConfig>;
  loss: LossConfig;
  /** Folder to write into (created). */
  out: string;
  steps?: number;
  batchSize?: number;
  /** Square input side; 32 is the smallest VGG-16 (five 2× pools) accepts. */
  size?: number;
  channels?: number;
  classes?: number;
  seed?: number;
  /**
   * Learning rate of the first `milestone` steps, ×`gamma` after (a MultiStepLR milestone inside
   * the run, so that a convention that folds the rate into the momentum buffer shows). Default
   * 0.01: the paper's 0.1 at batch 128 scaled to batch 16; at 0.1 the deep networks' losses jump
   * to 5–15 within 20 steps and two float32 runs of them part after a few steps.
   */
  lr?: number;
  gamma?: number;
  milestone?: number;
  momentum?: number;
  weightDecay?: number;
  decayBiasAndBn?: boolean;
  /** Fixed evaluation batch, no augmentation. */
  evalSize?: number;
}

export interface ExportManifest {
  version: 1;
  model: Required<ModelConfig>;
  loss: LossConfig;
  input: { height: number; width: number; channels: number };
  classes: number;
  seed: number;
  batchSize: number;
  steps: number;
  /** Learning rate used at each step. */
  lrs: number[];
  momentum: number;
  weightDecay: number;
  decayBiasAndBn: boolean;
  augment: { crop: boolean; padding: number; flip: boolean };
  /** The Batcher's normalisation: (v/255 − mean)/std per channel. */
  normalize: { mean: number[]; std: number[] };
  params: { name: string; shape: number[]; isWeight: boolean }[];
  buffers: { name: string; shape: number[] }[];
  /** Loss and correct predictions at each step, as trainStep returned them. */
  losses: number[];
  correct: number[];
  eval: { loss: number; acc: number; size: number };
  backend: string;
  seconds: number;
  tensors: Record<string, { dtype: 'float32' | 'int32' | 'uint8'; shape: number[]; offset: number; length: number }>;
}

/** CIFAR-100's per-channel statistics: the normalisation the Batcher applies on CIFAR. */
const CIFAR_MEAN = [0.5071, 0.4865, 0.4409];
const CIFAR_STD = [0.2673, 0.2564, 0.2762];

/** Seeded random uint8 images with random labels: CIFAR-shaped, content does not matter for parity. */
function randomSplit(count: number, size: number, channels: number, classes: number, rng: Rng): ImageSplit {
  const images = new Uint8Array(count * size * size * channels);
  for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = rng.int(classes);
  return { images, labels, count };
}

/** Appends tensors to tensors.bin as they come (a run's states add up to ~150 MB for VGG-16 ×0.25). */
class TensorFile {
  private readonly fd: number;
  private offset = 0;
  readonly index: ExportManifest['tensors'] = {};

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  add(key: string, values: Float32Array | Int32Array | Uint8Array, shape: number[]): void {
    if (this.index[key]) throw new Error(`internal: tensor '${key}' written twice`);
    const dtype = values instanceof Int32Array ? 'int32' : values instanceof Uint8Array ? 'uint8' : 'float32';
    this.index[key] = { dtype, shape, offset: this.offset, length: values.length };
    writeSync(this.fd, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.offset += values.byteLength;
  }

  addTensor(key: string, t: tf.Tensor): void {
    const data = t.dataSync();
    this.add(key, data, t.shape);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Trains `steps` steps and writes the folder. The backend must already be selected
 * (selectBackend); its name is recorded as tf.getBackend().
 */
export async function exportRun(opts: ExportOptions): Promise<ExportManifest> {
  const steps = opts.steps ?? 20;
  const batchSize = opts.batchSize ?? 16;
  const size = opts.size ?? 32;
  const channels = opts.channels ?? 3;
  const classes = opts.classes ?? 10;
  const seed = opts.seed ?? 1;
  const lr = opts.lr ?? 0.01;
  const gamma = opts.gamma ?? 0.1;
  const milestone = opts.milestone ?? Math.floor(steps / 2);
  const momentum = opts.momentum ?? 0.9;
  const weightDecay = opts.weightDecay ?? 5e-4;
  const decayBiasAndBn = opts.decayBiasAndBn ?? true;
  const evalSize = opts.evalSize ?? 32;
  const augment = { crop: true, padding: 4, flip: true };
  const lrs = Array.from({ length: steps }, (_, i) => (i < milestone ? lr : lr * gamma));
  mkdirSync(opts.out, { recursive: true });

  const started = Date.now();
  const net = buildNetwork(opts.model, opts.loss, channels, classes, seed);
  // As trainer.ts configures it.
  const sgd = new Sgd(net.store.params, { momentum, weightDecay, decayBiasAndBn });
  const file = new TensorFile(path.join(opts.out, 'tensors.bin'));
  const losses: number[] = [];
  const correct: number[] = [];
  const params = net.store.params.map((p) => ({ name: p.name, shape: p.variable.shape, isWeight: p.isWeight }));
  const buffers = [...net.store.buffers].map(([name, v]) => ({ name, shape: v.shape }));
  let evalResult: ExportManifest['eval'];
  try {
    const snapshot = (step: number) => {
      for (const { name, variable } of net.store.all()) file.addTensor(`state/${step}/${name}`, variable);
      net.store.params.forEach((p, i) => file.addTensor(`state/${step}/momentum/${p.name}`, sgd.buffers[i]));
    };
    snapshot(0);
    // The gradients Loss Lab's SGD receives, so that the optimiser can be checked on its own.
    const sgdStep = sgd.step.bind(sgd);
    let step = 0;
    sgd.step = (grads: tf.NamedTensorMap, rate: number) => {
      for (const p of net.store.params) {
        const g = grads[p.variable.name];
        if (g) file.addTensor(`grad/${step}/${p.name}`, g);
      }
      sgdStep(grads, rate);
    };

    const dataRng = new Rng(seed * 7919 + 13);
    const train = randomSplit(steps * batchSize, size, channels, classes, dataRng);
    const test = randomSplit(evalSize, size, channels, classes, dataRng);
    const shape = { height: size, width: size, channels, mean: CIFAR_MEAN.slice(0, channels), std: CIFAR_STD.slice(0, channels) };
    // In order (image k of step i is training image i·batch + k), so that the mirror can redo the
    // augmentation of each from the raw image; random crop and flip as in training.
    const batcher = new Batcher(train, { ...shape, batchSize, rng: new Rng(seed * 7919 + 1), augment, shuffle: false });
    file.add('data/images', train.images, [train.count, size, size, channels]);
    file.add('data/labels', train.labels, [train.count]);

    for (const batch of batcher.epoch()) {
      const x = tf.tensor4d(batch.x, [batch.size, size, size, channels]);
      const y = tf.tensor1d(batch.y, 'int32');
      file.addTensor(`batch/${step}/x`, x);
      file.addTensor(`batch/${step}/y`, y);
      const out = trainStep(net, sgd, x, y, lrs[step]);
      losses.push(out.loss.dataSync()[0]);
      correct.push(out.correct.dataSync()[0]);
      tf.dispose([x, y, out.loss, out.correct]);
      step++;
      snapshot(step);
    }
    if (step !== steps) throw new Error(`internal: ${step} batches for ${steps} steps`);

    const evalBatch = new Batcher(test, { ...shape, batchSize: evalSize, rng: new Rng(0), shuffle: false }).epoch().next().value!;
    evalResult = tf.tidy(() => {
      const x = tf.tensor4d(evalBatch.x, [evalBatch.size, size, size, channels]);
      const y = tf.tensor1d(evalBatch.y, 'int32');
      file.addTensor('eval/x', x);
      file.addTensor('eval/y', y);
      const out = net.head.evaluate(net.backbone.features(x, false) as tf.Tensor2D, y);
      file.addTensor('eval/scores', out.scores);
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(out.scores, 1), y), 'float32')).dataSync()[0];
      return { loss: out.loss.dataSync()[0], acc: hits / evalBatch.size, size: evalBatch.size };
    });
  } finally {
    file.close();
    sgd.dispose();
    net.store.dispose();
  }

  const manifest: ExportManifest = {
    version: 1,
    model: opts.model,
    loss: opts.loss,
    input: { height: size, width: size, channels },
    classes,
    seed,
    batchSize,
    steps,
    lrs,
    momentum,
    weightDecay,
    decayBiasAndBn,
    augment,
    normalize: { mean: CIFAR_MEAN.slice(0, channels), std: CIFAR_STD.slice(0, channels) },
    params,
    buffers,
    losses,
    correct,
    eval: evalResult,
    backend: tf.getBackend(),
    seconds: (Date.now() - started) / 1000,
    tensors: file.index,
  };
  writeFileSync(path.join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 1));
  return manifest;
}
