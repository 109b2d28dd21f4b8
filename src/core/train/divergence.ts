/**
 * When a run has diverged (training.divergence). A NaN or infinite batch loss always stops it: the
 * weights are then NaN and nothing more can be learnt. Two checks more, each configurable or off:
 * a batch loss above `maxLoss` (lr 100 takes CE to 1e22 within an epoch without a NaN), and an
 * epoch whose mean training loss ends above `factor` × the run's starting loss (a slower blow-up).
 */
import type { TrainingConfig } from '../config/types';
import { DIVERGED_LOSS, LossGrowthError, NonFiniteLossError } from './events';

const DEFAULT_GROWTH_FACTOR = 100;

export interface DivergenceRule {
  maxLoss: number | null;
  factor: number | null;
}

export function divergenceRule(training: Pick<TrainingConfig, 'divergence'>): DivergenceRule {
  const d = training.divergence;
  if (d === false) return { maxLoss: null, factor: null };
  const pick = (v: number | false | undefined, fallback: number) => (v === false ? null : (v ?? fallback));
  return { maxLoss: pick(d?.maxLoss, DIVERGED_LOSS), factor: pick(d?.factor, DEFAULT_GROWTH_FACTOR) };
}

/** After each batch: throws when its loss is NaN, infinite or above maxLoss. */
export function checkBatchLoss(rule: DivergenceRule, loss: number, at: { epoch: number; step: number; lr: number }): void {
  if (!Number.isFinite(loss) || (rule.maxLoss !== null && loss > rule.maxLoss)) throw new NonFiniteLossError(at.epoch, at.step, loss, at.lr, rule.maxLoss ?? undefined);
}

/** After each epoch: throws when its mean training loss is above factor × the starting loss. */
export function checkEpochLoss(rule: DivergenceRule, meanLoss: number, startLoss: number | undefined, at: { epoch: number; lr: number }): void {
  if (rule.factor === null || startLoss === undefined || !(startLoss > 0)) return;
  if (meanLoss > rule.factor * startLoss) throw new LossGrowthError(at.epoch, meanLoss, startLoss, rule.factor, at.lr);
}
