import type { TrainingConfig } from '../config/types';

/**
 * Multi-step schedule with PyTorch MultiStepLR semantics: after `milestone` finished
 * epochs the rate is multiplied by gamma. `epoch` is 1-based, so with milestones [30]
 * epochs 1–30 use lr and epoch 31 onwards lr·gamma (the paper's "×0.1 at epoch 30").
 */
export function learningRateAt(epoch: number, t: Pick<TrainingConfig, 'lr' | 'milestones' | 'gamma'>): number {
  const passed = t.milestones.filter((m) => m < epoch).length;
  return t.lr * t.gamma ** passed;
}
