/**
 * What "Loss Lab: New Loss" writes: a documented example loss module (focal loss in tfjs ops)
 * and a small config that trains it next to cross-entropy.
 */

/** The example module: a focal-loss head, documented for the reader who adapts it. */
export const EXAMPLE_LOSS_MODULE = `/**
 * A Loss Lab loss module: focal loss (Lin et al. 2017) on a linear classifier, written with tfjs ops.
 *
 *   L = −(1/N) Σ_i (1 − p_{i,y_i})^γ · log p_{i,y_i},   p_i = softmax(W·f_i + b)
 *
 * Loss Lab compiles this file itself (types are stripped, not checked) and calls the default export
 * once per run. The editor checks the types against types/tfjs-core.d.ts beside it (tsconfig.json maps the import there). \`tf\` is the worker's own tfjs-core (importing '@tensorflow/tfjs-core' gives the same object),
 * so the tensors here and the backbone's are one engine's. Use tfjs ops on tensors throughout: a value read
 * back with dataSync() and re-wrapped is a constant to autodiff, and 'Loss Lab: Check Loss' will say so.
 *
 * Check it without training: 'Loss Lab: Check Loss' in VS Code, or \`losslab check-loss <this file> --options '{"gamma": 2}'\`.
 */
import type * as tfjs from '@tensorflow/tfjs-core';

/** JSON Schema of \`options\` in the config: the config is validated against it and its defaults are filled in. */
export const optionsSchema = {
  type: 'object',
  properties: {
    gamma: { type: 'number', minimum: 0, maximum: 10, default: 2, description: 'Focusing exponent γ; 0 is cross-entropy.' },
  },
  additionalProperties: false,
};

interface Context {
  /** The worker's tfjs-core. */
  tf: typeof tfjs;
  /** Register parameters here: the optimizer, weight decay and checkpoints use them. */
  store: { addParam(name: string, shape: number[], values: Float32Array, isWeight: boolean): tfjs.Variable; rng: { uniform(lo: number, hi: number): number } };
  /** Width of the backbone's features (the head's input). */
  featureDim: number;
  numClasses: number;
  options: { gamma: number };
}

export default function createLoss({ tf, store, featureDim, numClasses, options }: Context) {
  // PyTorch's Linear init, weight and bias: U(−1/√d, 1/√d), from the run's seeded generator, in the built-in
  // heads' order (weight, then bias): with the same seed this head starts as the built-in focal does.
  const bound = 1 / Math.sqrt(featureDim);
  const uniform = (size: number) => Float32Array.from({ length: size }, () => store.rng.uniform(-bound, bound));
  const weight = store.addParam('fc.weight', [featureDim, numClasses], uniform(featureDim * numClasses), true); // true: weight decay applies
  const bias = store.addParam('fc.bias', [numClasses], uniform(numClasses), false);

  const logits = (features: tfjs.Tensor2D) => tf.add(tf.matMul(features, weight), bias) as tfjs.Tensor2D;

  const focal = (z: tfjs.Tensor2D, labels: tfjs.Tensor1D): tfjs.Scalar => {
    // logSoftmax, not log(softmax): stays finite for large logits.
    const logPt = tf.sum(tf.mul(tf.logSoftmax(z), tf.oneHot(labels, numClasses)), 1);
    // (1 − p_t) is kept off 0 so that its power has a finite slope for γ < 1 too.
    const modulator = tf.pow(tf.maximum(tf.sub(1, tf.exp(logPt)), 1e-12), options.gamma);
    return tf.mean(tf.mul(modulator, tf.neg(logPt))) as tfjs.Scalar;
  };

  const run = (features: tfjs.Tensor2D, labels: tfjs.Tensor1D) => {
    const z = logits(features);
    return { loss: focal(z, labels), scores: z }; // scores (N, k): the prediction is their argmax
  };

  return {
    /** Training loss (mean over the batch) and scores. */
    train: run,
    /** Evaluation; may differ from training (e.g. without a margin). Optional: defaults to train. */
    evaluate: run,
    /** The network's output values for the logit histogram. Optional: defaults to the scores. */
    outputs: (features: tfjs.Tensor2D) => ({ before: logits(features) }),
    /** One column per class (d, k) for the weight-norm figure, or null. Optional: defaults to null. */
    classWeights: () => weight as tfjs.Tensor2D,
  };
}
`;

/** Where New Loss puts the tfjs-core types, relative to the modules' folder; the tsconfig below maps the import to it. */
export const LOSS_TYPES_FILE = 'types/tfjs-core.d.ts';

/** tsconfig.json beside the modules: the editor type-checks them against Loss Lab's tfjs-core types, with no npm install. */
export const LOSS_MODULES_TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      types: [],
      paths: { '@tensorflow/tfjs-core': [`./${LOSS_TYPES_FILE}`] },
    },
    include: ['*.ts', LOSS_TYPES_FILE],
  },
  null,
  2,
)}\n`;

/** A config next to the module (`modulePath` relative to it) that trains the example against cross-entropy. */
export function exampleLossConfig(name: string, modulePath: string): Record<string, unknown> {
  return {
    name,
    description: 'A custom loss module next to cross-entropy on a small Fashion-MNIST subset.',
    dataset: { name: 'fashion-mnist', trainSubset: 6000, testSubset: 2000 },
    models: [{ name: 'simple-cnn', width: 0.5 }],
    losses: [{ name: 'ce' }, { name: 'custom', module: modulePath, options: { gamma: 2 } }],
    seeds: [1],
    training: { epochs: 3, batchSize: 128, lr: 0.05, milestones: [2] },
    backend: 'auto',
  };
}
