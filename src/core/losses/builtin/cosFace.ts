import { defineLoss } from '../descriptor';
import { amSoftmax } from './amSoftmax';
import { scaleMarginKey, scaleMarginLabel } from './cosineScale';

/** CosFace (Wang et al. 2018) is AM-Softmax under its other name: the same options and head, its own name and label. */
export const cosFace = defineLoss({
  ...amSoftmax,
  name: 'cosface',
  summary: 'CosFace: the same loss as AM-Softmax, s·(cos θ − m) for the true class.',
  key: scaleMarginKey('cosface'),
  label: scaleMarginLabel('CosFace'),
  parity: [{ options: { s: 7.5, m: 0.35 } }],
});
