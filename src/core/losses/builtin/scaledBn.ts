import { defineLoss } from '../descriptor';
import { scaledBnHead, type ScaledBnOptions } from '../scaledBn';

/** The paper's method: a fixed-scale, non-learnable BN over the logits, then cross-entropy. */
export const scaledBn = defineLoss<'scaled-bn', ScaledBnOptions>({
  name: 'scaled-bn',
  summary: 'Batch normalization with a fixed scale m (no learned affine) on the logits, then softmax + cross-entropy.',
  optionsSchema: {
    required: ['m'],
    properties: {
      m: {
        $ref: '#/definitions/numberOrSweep',
        exclusiveMinimum: 0,
        maximum: 100,
        description:
          'Fixed scale of the BN on the logits: the normalised logits are multiplied by m, which bounds how peaked the softmax gets. No default (required); the paper compares 0.8, 0.9 and 1.0.',
        examples: [0.9, 0.8, 1.0],
      },
      eval: {
        type: 'string',
        enum: ['running', 'batch', 'raw'],
        enumDescriptions: [
          'Normalise test logits with the running mean/variance collected during training.',
          'Normalise each test batch with its own statistics.',
          'Skip the BN at test time and take the argmax of the raw logits (the per-class statistics shift and scale each logit differently, so predictions can differ).',
        ],
        description: "Which statistics normalise the logits at test time. Default 'running': standard BN inference, independent of the test batch.",
        default: 'running',
      },
      momentum: {
        $ref: '#/definitions/numberOrSweep',
        exclusiveMinimum: 0,
        maximum: 1,
        description: "Update rate of the running statistics (PyTorch convention: new = (1 − momentum)·old + momentum·batch). Default 0.1: PyTorch's BatchNorm default.",
        default: 0.1,
      },
      eps: {
        $ref: '#/definitions/numberOrSweep',
        exclusiveMinimum: 0,
        maximum: 1,
        description: "Added to the variance before the square root. Default 1e-5: PyTorch's BatchNorm default.",
        default: 1e-5,
      },
    },
  },
  key: ({ m }) => `scaled-bn-m${m}`,
  label: ({ m }) => `Scaled-BN m=${m}`,
  tags: [
    { field: 'eval', tag: (v) => [`eval-${v}`, `eval=${v}`] },
    { field: 'momentum', tag: (v) => [`mom${v}`, `momentum=${v}`] },
    { field: 'eps', tag: (v) => [`eps${v}`, `eps=${v}`] },
  ],
  snippet: { options: { m: 0.9 } },
  createLoss: ({ store, featureDim, numClasses, options }) => scaledBnHead(store, featureDim, numClasses, options),
  records: { outputs: 'logits W·f + b', logitsAfterBn: true, classWeights: true },
  parity: [{ options: { m: 0.9 }, everyModel: true }],
});
