import { amSoftmaxHead } from '../amSoftmax';
import { defineLoss } from '../descriptor';
import { SCALE } from './cosineScale';

/** NormFace (Wang et al. 2017): softmax over s·cos θ, i.e. AM-Softmax without a margin. */
export const normFace = defineLoss<'normface', { s: number }>({
  name: 'normface',
  summary: 'NormFace: softmax over s·cos θ of normalised features and weights, no margin.',
  optionsSchema: { required: ['s'], properties: { s: SCALE } },
  key: ({ s }) => `normface-s${s}`,
  label: ({ s }) => `NormFace s=${s}`,
  snippet: { options: { s: 16 } },
  createLoss: ({ store, featureDim, numClasses, options }) => amSoftmaxHead(store, featureDim, numClasses, options.s, 0),
  records: { outputs: 's·cos θ', logitsAfterBn: false, classWeights: true },
  parity: [{ options: { s: 16 } }],
});
