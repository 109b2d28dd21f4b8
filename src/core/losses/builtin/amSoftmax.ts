import { amSoftmaxHead } from '../amSoftmax';
import { defineLoss } from '../descriptor';
import { SCALE_AND_MARGIN, scaleMarginKey, scaleMarginLabel } from './cosineScale';

/** AM-Softmax (Wang et al. 2018): s·(cos θ_y − m) on the target, s·cos θ elsewhere. */
export const amSoftmax = defineLoss<'am-softmax', { s: number; m: number }>({
  name: 'am-softmax',
  summary: 'Additive margin softmax: s·(cos θ − m) for the true class.',
  optionsSchema: { required: ['s', 'm'], properties: SCALE_AND_MARGIN },
  key: scaleMarginKey('am-softmax'),
  label: scaleMarginLabel('AM-Softmax'),
  snippet: { options: { s: 7.5, m: 0.35 } },
  createLoss: ({ store, featureDim, numClasses, options }) => amSoftmaxHead(store, featureDim, numClasses, options.s, options.m),
  records: { outputs: 's·cos θ', logitsAfterBn: false, classWeights: true },
  parity: [{ options: { s: 7.5, m: 0.35 }, everyModel: true }],
});
