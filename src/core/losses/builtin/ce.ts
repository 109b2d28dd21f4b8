import { ceHead } from '../crossEntropy';
import { defineLoss } from '../descriptor';

/** Softmax cross-entropy on a linear layer: the baseline every table compares against. */
export const ce = defineLoss({
  name: 'ce',
  summary: 'Softmax + cross-entropy: the baseline.',
  optionsSchema: { properties: {} },
  key: () => 'ce',
  label: () => 'CE',
  snippet: { options: {}, label: 'CE (softmax + cross-entropy)' },
  createLoss: ({ store, featureDim, numClasses }) => ceHead(store, featureDim, numClasses),
  records: { outputs: 'logits W·f + b', logitsAfterBn: false, classWeights: true },
  parity: [{ options: {}, everyModel: true }],
});
