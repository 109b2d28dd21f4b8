/**
 * SphereFace's multiplicative angular margin (A-Softmax, Liu et al. 2017), written as a user's loss
 * module would be: only `tf`, `store` and `options` from the factory's argument.
 *
 *   cos θ_c = Ŵ_c·x / ‖x‖   (normalised class weights, no bias; the feature keeps its norm)
 *   ψ(θ) = (−1)^k·cos(mθ) − 2k  for θ in [kπ/m, (k+1)π/m]: falls monotonically from 1 to −(2m − 1)
 *   logits: ‖x‖·(λ·cos θ_y + ψ(θ_y))/(1 + λ) for the target, ‖x‖·cos θ_c elsewhere;  L = CE(logits, y)
 *
 * λ is fixed here: the paper anneals it from about 1000 down to 5 as training goes, which blends in
 * plain softmax while the margin would be too hard to train against. Scores are ‖x‖·cos θ.
 */
import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { CustomLossContext } from '../lossModule';
import { defineLoss } from '../descriptor';

type Tf = CustomLossContext['tf'];

/** cos(mθ) as the Chebyshev polynomial T_m(cos θ): T_0 = 1, T_1 = c, T_{n+1} = 2c·T_n − T_{n−1}. */
function cosMultiple(tf: Tf, c: Tensor2D, m: number): Tensor2D {
  let [previous, current]: Tensor2D[] = [tf.onesLike(c), c];
  for (let n = 1; n < m; n++) [previous, current] = [current, tf.sub(tf.mul(tf.mul(c, 2), current), previous)];
  return m === 0 ? previous : current;
}

/** ψ(θ) from cos θ. k counts the thresholds cos(jπ/m), j = 1 … m−1, that θ has passed; each one flips the sign. */
function sphereMargin(tf: Tf, c: Tensor2D, m: number): Tensor2D {
  let k = tf.zerosLike(c);
  let sign = tf.onesLike(c);
  for (let j = 1; j < m; j++) {
    const passed = tf.step(tf.sub(Math.cos((j * Math.PI) / m), c)); // 1 where θ > jπ/m; no gradient
    k = tf.add(k, passed);
    sign = tf.mul(sign, tf.sub(1, tf.mul(passed, 2)));
  }
  return tf.sub(tf.mul(sign, cosMultiple(tf, c, m)), tf.mul(k, 2));
}

export const sphereFace = defineLoss<'sphereface', { m: number; lambda?: number }>({
  name: 'sphereface',
  summary: 'SphereFace (A-Softmax), multiplicative angular margin: ‖x‖·ψ(θ) with ψ = (−1)^k·cos(mθ) − 2k for the true class, blended with cos θ by λ.',
  optionsSchema: {
    required: ['m'],
    properties: {
      m: {
        $ref: '#/definitions/integerOrSweep',
        minimum: 1,
        maximum: 5,
        description: "Integer angular margin m: the true class's angle counts m times. No default (required); SphereFace uses 4. 1 is softmax on normalised weights.",
        examples: [4, 2, 3],
      },
      lambda: {
        $ref: '#/definitions/numberOrSweep',
        minimum: 0,
        maximum: 10000,
        description: "Fixed blend λ of the target logit: ‖x‖·(λ·cos θ + ψ(θ))/(1 + λ); 0 is the bare margin. Default 5: the end of the paper's annealing (from about 1000).",
        default: 5,
      },
    },
  },
  key: ({ m }) => `sphereface-m${m}`,
  label: ({ m }) => `SphereFace m=${m}`,
  tags: [{ field: 'lambda', tag: (v) => [`l${v}`, `λ=${v}`] }],
  snippet: { options: { m: 4 } },
  createLoss: ({ tf, store, featureDim, numClasses, options }) => {
    const { m, lambda = 5 } = options; // the schema's default, for a config that was not validated
    // PyTorch's Linear init, U(−1/√d, 1/√d), from the run's seeded generator; true: weight decay applies.
    const bound = 1 / Math.sqrt(featureDim);
    const init = Float32Array.from({ length: featureDim * numClasses }, () => store.rng.uniform(-bound, bound));
    const weight = store.addParam('fc.weight', [featureDim, numClasses], init, true); // (d, k)
    const normOf = (x: Tensor, axis: number) => tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12));
    // ‖x‖ (N, 1) and cos θ (N, k), clamped: the polynomial is only bounded on [−1, 1].
    const geometry = (x: Tensor2D) => {
      const norm = normOf(x, 1);
      const cos = tf.clipByValue(tf.matMul(tf.div(x, norm), tf.div(weight, normOf(weight, 0))), -1, 1) as Tensor2D;
      return { norm, cos };
    };
    const run = (x: Tensor2D, y: Tensor1D) => {
      const { norm, cos } = geometry(x);
      const target = tf.div(tf.add(tf.mul(cos, lambda), sphereMargin(tf, cos, m)), 1 + lambda);
      const isTarget = tf.oneHot(y, numClasses);
      const logits = tf.mul(norm, tf.add(tf.mul(isTarget, target), tf.mul(tf.sub(1, isTarget), cos)));
      const loss = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), isTarget), 1))) as Scalar;
      return { loss, scores: tf.mul<Tensor2D>(norm, cos) }; // (N, k): the logits without the margin
    };
    return {
      train: run,
      evaluate: run,
      outputs: (x: Tensor2D) => {
        const { norm, cos } = geometry(x);
        return { before: tf.mul<Tensor2D>(norm, cos) };
      },
      classWeights: () => weight as Tensor2D,
    };
  },
  records: { outputs: '‖x‖·cos θ', logitsAfterBn: false, classWeights: true },
  parity: [{ options: { m: 3, lambda: 1 } }],
});
