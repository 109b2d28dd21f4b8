import { defineLoss } from '../descriptor';
import { labelSmoothingHead } from '../labelSmoothing';

/** Cross-entropy against smoothed targets (Szegedy et al. 2016). */
export const labelSmoothing = defineLoss<'label-smoothing', { epsilon: number }>({
  name: 'label-smoothing',
  summary: 'Cross-entropy against smoothed targets (1 − ε)·onehot + ε/k.',
  optionsSchema: {
    required: ['epsilon'],
    properties: {
      epsilon: {
        $ref: '#/definitions/numberOrSweep',
        minimum: 0,
        maximum: 1,
        description: "Probability mass ε spread evenly over all classes: targets (1 − ε)·onehot + ε/k, as PyTorch's label_smoothing. No default (required); 0.1 is the usual choice (Inception-v3).",
        examples: [0.1, 0.05],
      },
    },
  },
  key: ({ epsilon }) => `label-smoothing-e${epsilon}`,
  label: ({ epsilon }) => `Label smoothing ε=${epsilon}`,
  snippet: { options: { epsilon: 0.1 } },
  createLoss: ({ store, featureDim, numClasses, options }) => labelSmoothingHead(store, featureDim, numClasses, options.epsilon),
  records: { outputs: 'logits W·f + b', logitsAfterBn: false, classWeights: true },
  parity: [{ options: { epsilon: 0.1 } }],
});
