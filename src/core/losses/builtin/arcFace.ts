import { arcFaceHead, type ArcFaceOptions } from '../arcFace';
import { defineLoss } from '../descriptor';
import { SCALE, scaleMarginKey, scaleMarginLabel } from './cosineScale';

/** ArcFace (Deng et al. 2019): s·cos(θ_y + m) on the target, with insightface's handling past π. */
export const arcFace = defineLoss<'arcface', ArcFaceOptions>({
  name: 'arcface',
  summary: 'ArcFace, additive angular margin: s·cos(θ + m) for the true class (s, m, easyMargin).',
  optionsSchema: {
    required: ['s', 'm'],
    properties: {
      s: SCALE,
      m: {
        $ref: '#/definitions/numberOrSweep',
        minimum: 0,
        maximum: 1.5,
        description: "Additive angular margin m in radians added to the true class's angle: cos(θ + m). No default (required); ArcFace uses 0.5 with s = 64 (faces), smaller s for few classes.",
        examples: [0.5, 0.3],
      },
      easyMargin: {
        type: 'boolean',
        description: "Apply the margin only where cos θ > 0. Default false: where θ + m would pass π, use cos θ − m·sin m instead (insightface's threshold), so the logit keeps falling with θ.",
        default: false,
      },
    },
  },
  key: scaleMarginKey('arcface'),
  label: scaleMarginLabel('ArcFace'),
  tags: [{ field: 'easyMargin', tag: () => ['easy', 'easy margin'] }],
  snippet: { options: { s: 16, m: 0.5 } },
  createLoss: ({ store, featureDim, numClasses, options }) => arcFaceHead(store, featureDim, numClasses, options),
  records: { outputs: 's·cos θ', logitsAfterBn: false, classWeights: true },
  parity: [{ options: { s: 16, m: 0.5 } }, { options: { s: 16, m: 0.5, easyMargin: true }, variant: '-easy-margin' }],
});
