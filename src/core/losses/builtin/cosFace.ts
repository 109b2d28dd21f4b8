import { amSoftmaxHead } from '../amSoftmax';
import { defineLoss } from '../descriptor';
import { COSINE_MARGIN, SCALE, scaleMarginKey, scaleMarginLabel } from './cosineScale';

/** CosFace (Wang et al. 2018) is AM-Softmax under its other name: the same head, its own label. */
export const cosFace = defineLoss<'cosface', { s: number; m: number }>({
  name: 'cosface',
  summary: 'CosFace: the same loss as AM-Softmax, s·(cos θ − m) for the true class.',
  optionsSchema: { required: ['s', 'm'], properties: { s: SCALE, m: COSINE_MARGIN } },
  key: scaleMarginKey('cosface'),
  label: scaleMarginLabel('CosFace'),
  snippet: { options: { s: 7.5, m: 0.35 } },
  createLoss: ({ store, featureDim, numClasses, options }) => amSoftmaxHead(store, featureDim, numClasses, options.s, options.m),
  records: { logitsAfterBn: false, classWeights: true },
  parity: [{ options: { s: 7.5, m: 0.35 } }],
});
