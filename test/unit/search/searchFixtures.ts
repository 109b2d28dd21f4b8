/** A search config with every kind of searched field: a list, a distribution on a loss field, on a custom option and on training. */
export const SEARCH_BASE = {
  name: 's',
  dataset: { name: 'fashion-mnist', validation: 0.2 },
  models: [{ name: 'simple-cnn', width: 0.25 }],
  losses: [{ name: 'ce' }, { name: 'am-softmax', s: 30, m: { uniform: [0.2, 0.5] } }, { name: 'custom', module: 'focal.ts', options: { gamma: { log: [0.5, 4] }, alpha: [1, 2] } }],
  training: { epochs: 9, milestones: [6], lr: { log: [0.01, 0.3] }, batchSize: [64, 128] },
  search: { trials: 4 },
};
