import { defineLoss } from '../descriptor';
import { pedccHead, type PedccOptions } from '../pedcc';
import { SCALE_AND_MARGIN, scaleMarginKey, scaleMarginLabel } from './cosineScale';

/** PEDCC-loss (Zhu et al. 2019): AM-Softmax against fixed, evenly spread centroids plus a distance term. */
export const pedcc = defineLoss<'pedcc', PedccOptions>({
  name: 'pedcc',
  summary: 'AM-Softmax against fixed, pre-defined evenly-distributed class centroids (PEDCC), plus a feature-to-centroid MSE term.',
  optionsSchema: {
    required: ['s', 'm'],
    properties: {
      ...SCALE_AND_MARGIN,
      embedDim: {
        $ref: '#/definitions/integerOrSweep',
        minimum: 2,
        description:
          "Width of the bias-free linear embedding whose (BN'd, L2-normalised) output is compared with the class centroids. Default 512: the reference network's embedding, whatever the backbone's feature width.",
      },
      n: {
        $ref: '#/definitions/numberOrSweep',
        minimum: 1,
        description: "Exponent on the feature-to-centroid distance term: loss = AM-Softmax + (distance term)^n. Default 1 (the reference code's value, where a power and a root agree).",
      },
      distance: {
        enum: ['sum', 'mean'],
        description:
          "Reduction of the distance term Σ‖f̂ − c_y‖² over the batch: 'sum' (the reference code; ~N times the AM-Softmax term's scale) or 'mean' (divided by the batch size N). Default 'sum' (left unset, so that configs written before this option keep their filled-in form).",
      },
      embedBn: {
        type: 'boolean',
        description:
          "Non-affine BatchNorm on the embedding before L2 normalisation, as in the reference network. Default true; false normalises the linear embedding directly (left unset by default, like 'distance').",
      },
    },
  },
  unpublishedDefaults: { distance: 'sum', embedBn: true },
  key: scaleMarginKey('pedcc'),
  label: scaleMarginLabel('PEDCC'),
  tags: [
    { field: 'embedDim', tag: (v) => [`d${v}`, `d=${v}`] },
    { field: 'n', tag: (v) => [`n${v}`, `n=${v}`] },
    { field: 'distance', tag: (v) => [`dist-${v}`, `distance=${v}`] },
    { field: 'embedBn', tag: (v) => (v ? ['bn', 'embed BN'] : ['nobn', 'no embed BN']) },
  ],
  snippet: { options: { s: 7.5, m: 0.35 } },
  // The centroids are drawn from the run's seed, so every run of a seed compares against the same ones.
  createLoss: ({ store, featureDim, numClasses, options, seed }) => pedccHead(store, featureDim, numClasses, options, seed),
  records: { outputs: 's·cos θ to the class centroids', logitsAfterBn: false, classWeights: false },
  parity: [
    { options: { s: 7.5, m: 0.35 }, everyModel: true },
    // The ambiguous choices away from the reference code's: mean-reduced distance term, no BN on the embedding.
    { options: { s: 7.5, m: 0.35, distance: 'mean', embedBn: false }, variant: '-mean-no-bn' },
  ],
});
