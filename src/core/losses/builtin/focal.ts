import { defineLoss } from '../descriptor';
import { focalHead } from '../focal';

/** Softmax focal loss (Lin et al. 2017) on a linear layer. */
export const focal = defineLoss<'focal', { gamma: number; alpha?: number | number[] }>({
  name: 'focal',
  summary: 'Focal loss: cross-entropy weighted by (1 − p_true)^γ, optionally by α.',
  optionsSchema: {
    required: ['gamma'],
    properties: {
      gamma: {
        $ref: '#/definitions/numberOrSweep',
        minimum: 0,
        maximum: 10,
        description: 'Focusing exponent γ on (1 − p_true); 0 is cross-entropy. No default (required); 2 in Lin et al. 2017.',
        examples: [2, 1, 0.5],
      },
      alpha: {
        description: "Weight α of each sample's loss: one number for all classes, or one per class (indexed by the true class). Default: none (1).",
        oneOf: [
          { type: 'number', exclusiveMinimum: 0 },
          { type: 'array', minItems: 1, items: { type: 'number', minimum: 0 } },
        ],
      },
    },
  },
  key: ({ gamma }) => `focal-g${gamma}`,
  label: ({ gamma }) => `Focal γ=${gamma}`,
  tags: [
    {
      field: 'alpha',
      tag: (v) => {
        const alpha = Array.isArray(v) ? v.join(',') : String(v);
        return [`a${alpha.replace(/,/g, '_')}`, `α=${alpha}`];
      },
    },
  ],
  listOptions: ['alpha'],
  snippet: { options: { gamma: 2 } },
  createLoss: ({ store, featureDim, numClasses, options }) => focalHead(store, featureDim, numClasses, options.gamma, options.alpha),
  records: { outputs: 'logits W·f + b', logitsAfterBn: false, classWeights: true },
  parity: [{ options: { gamma: 2, alpha: 0.25 } }],
});
