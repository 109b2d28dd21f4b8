/**
 * Samplers propose each trial's hyperparameters. Random search is the one built in: with a fixed
 * seed it gives the same trials on every machine and on resume, and for the few hyperparameters a
 * loss has it is a strong baseline (Bergstra & Bengio 2012). No kept JavaScript library offers TPE or
 * a Gaussian process, so a model-based sampler plugs in here through `Sampler` when one is needed.
 */
import type { SweepValue } from '../config/types';
import { Rng } from '../util/rng';
import { sample, type Distribution } from './distributions';

/** A field the search draws: `field` is the name in the loss (`m`) or in training (`lr`). */
export interface SearchedField {
  scope: SweepValue['scope'];
  field: string;
  distribution: Distribution;
}

/** A trial that has a validation score, for samplers that learn from the trials so far. */
interface ScoredTrial {
  values: readonly SweepValue[];
  score: number;
}

export interface Sampler {
  /** The values of trial `index` (0-based) of one loss. */
  propose(index: number, scored: readonly ScoredTrial[]): SweepValue[];
}

/** Trial `index` draws from its own stream, so it is the same whatever order trials are proposed or resumed in. */
export function randomSampler(fields: readonly SearchedField[], seed: number): Sampler {
  return {
    propose(index) {
      const rng = new Rng(Math.imul(index + 1, 0x85ebca6b) ^ Math.imul(seed, 0x9e3779b1));
      return fields.map(({ scope, field, distribution }) => ({ scope, field, value: sample(distribution, rng) }));
    },
  };
}
