import { centerLossHead, type CenterLossOptions } from '../centerLoss';
import { defineLoss } from '../descriptor';

/** Center loss (Wen et al. 2016): cross-entropy plus a pull of each feature towards its class centre. */
export const center = defineLoss<'center', CenterLossOptions>({
  name: 'center',
  summary: 'Center loss: cross-entropy plus λ/2·‖f − c_y‖² towards learned per-class feature centres.',
  optionsSchema: {
    required: ['lambda'],
    properties: {
      lambda: {
        $ref: '#/definitions/numberOrSweep',
        minimum: 0,
        maximum: 100,
        description: 'Weight λ of the centre term λ/2·‖f − c_y‖² (mean over the batch). No default (required); Wen et al. 2016 use 0.003–0.01.',
        examples: [0.003, 0.01],
      },
      alpha: {
        $ref: '#/definitions/numberOrSweep',
        exclusiveMinimum: 0,
        maximum: 1,
        description: "Rate α at which each class centre moves towards its features in the batch (Wen et al. eq. 4). Default 0.5: the paper's choice.",
        default: 0.5,
      },
    },
  },
  key: ({ lambda }) => `center-l${lambda}`,
  label: ({ lambda }) => `Center loss λ=${lambda}`,
  tags: [{ field: 'alpha', tag: (v) => [`a${v}`, `α=${v}`] }],
  snippet: { options: { lambda: 0.003 } },
  createLoss: ({ store, featureDim, numClasses, options }) => centerLossHead(store, featureDim, numClasses, options),
  records: { outputs: 'logits W·f + b', logitsAfterBn: false, classWeights: true },
  parity: [{ options: { lambda: 0.1, alpha: 0.5 } }],
});
