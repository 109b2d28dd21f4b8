/**
 * What a search config stands for: one study per model × loss entry, the fields each study
 * searches (a distribution, a list or a range written where a number goes), and the RunSpecs of its
 * trials and of its final stage. The grid of a search config is its trials (config/grid.ts).
 */
import { lossKey, lossLabel, modelKey, modelLabel } from '../config/grid';
import { isRange, rangeValues } from '../config/sweep';
import type { ExperimentConfig, LossConfig, LossSweep, ModelConfig, RunSpec, TrainingConfig, TrainingSweep } from '../config/types';
import { lossDescriptor } from '../losses/registry';
import { rungEpochs } from './asha';
import { isDistributionObject, type Distribution } from './distributions';
import type { SearchBudget, SearchParams, SearchRecord } from './record';
import { paramsText } from './summary';
import { randomSampler, type SearchedField } from './sampler';

/** Training fields a search may draw; `epochs` is the search's budget, not a hyperparameter. */
const SEARCHABLE_TRAINING_FIELDS = ['batchSize', 'lr', 'momentum', 'weightDecay', 'gamma'] as const;

/** A searched field: `key` as in SearchParams (`loss.m`, `loss.options.gamma`, `training.lr`). */
export interface SearchedParam extends SearchedField {
  key: string;
  /** As written in the config, for search.json's `space`. */
  written: unknown;
}

export interface Study {
  key: string;
  model: Required<ModelConfig>;
  modelLabel: string;
  lossLabel: string;
  /** The loss entry as written, distributions and all. */
  entry: LossSweep;
  /** The loss and training with the searched fields left out (defaults) or not yet drawn. */
  loss: LossConfig;
  training: TrainingConfig;
  params: SearchedParam[];
}

/** The `search` block with its defaults resolved. */
export interface SearchSettings {
  trials: number;
  seed: number;
  minEpochs: number;
  /** Absent: no pruning, every trial trains all epochs. */
  eta?: number;
  finalSeeds: number[];
}

/** All epochs of a search: one number (validation refuses a swept or searched `training.epochs`). */
function searchEpochs(cfg: ExperimentConfig): number {
  const epochs = cfg.training.epochs;
  if (typeof epochs !== 'number') throw new Error('a search needs one number of training.epochs');
  return epochs;
}

export function searchSettings(cfg: ExperimentConfig): SearchSettings {
  const s = cfg.search;
  if (!s) throw new Error(`'${cfg.name}' has no search block`);
  const finalSeeds = Array.isArray(s.finalSeeds) ? [...s.finalSeeds] : Array.from({ length: s.finalSeeds ?? 5 }, (_, i) => i + 1);
  const prune = s.prune ?? {};
  return { trials: s.trials ?? 8, seed: s.seed ?? 0, minEpochs: prune === false ? searchEpochs(cfg) : (prune.minEpochs ?? 1), eta: prune === false ? undefined : (prune.eta ?? 3), finalSeeds };
}

/** The budget every study gets, as search.json records it. */
export function searchBudget(cfg: ExperimentConfig): SearchBudget {
  const s = searchSettings(cfg);
  const epochs = searchEpochs(cfg);
  return { trialsPerStudy: s.trials, maxEpochs: epochs, rungs: s.eta ? rungEpochs(epochs, s.minEpochs, s.eta) : [epochs], eta: s.eta ?? 1, finalSeeds: s.finalSeeds };
}

/** A field's value as a search reads it: a distribution, a list to choose from, or a range's values; undefined for a plain value. */
function asDistribution(value: unknown): Distribution | undefined {
  if (isDistributionObject(value)) return value;
  if (Array.isArray(value)) return value as number[];
  if (isRange(value)) return rangeValues(value);
  return undefined;
}

/** The searched fields of a loss entry: its numeric fields and a custom loss's options written as a distribution (or, for built-in fields, a list or range). */
export function searchedLossFields(loss: LossSweep): SearchedParam[] {
  const listOptions: readonly string[] = lossDescriptor(loss.name)?.listOptions ?? [];
  const own = Object.entries(loss as Record<string, unknown>).filter(([field]) => field !== 'name' && field !== 'options' && field !== 'module' && !listOptions.includes(field));
  // A custom loss's option may itself be a list (per-class weights): only a distribution object marks it searched.
  const options = loss.name === 'custom' ? Object.entries(loss.options ?? {}).filter(([, v]) => isDistributionObject(v)) : [];
  return [...own.map(([f, v]) => [f, v] as const), ...options.map(([f, v]) => [`options.${f}`, v] as const)].flatMap(([field, written]) => {
    const distribution = asDistribution(written);
    return distribution ? [{ key: `loss.${field}`, scope: 'loss' as const, field, distribution, written }] : [];
  });
}

export function searchedTrainingFields(training: TrainingSweep): SearchedParam[] {
  return SEARCHABLE_TRAINING_FIELDS.flatMap((field) => {
    const written: unknown = training[field];
    const distribution = asDistribution(written);
    return distribution ? [{ key: `training.${field}`, scope: 'training' as const, field, distribution, written }] : [];
  });
}

/** `loss` with the searched fields removed (a built-in field falls back to its default) or set to `values`. */
function withLossValues(loss: LossSweep, params: readonly SearchedParam[], values: SearchParams): LossConfig {
  const out = structuredClone(loss) as Record<string, unknown> & { options?: Record<string, unknown> };
  for (const p of params.filter((q) => q.scope === 'loss')) {
    const [target, name] = p.field.startsWith('options.') ? [(out.options ??= {}), p.field.slice('options.'.length)] : [out, p.field];
    if (p.key in values) target[name] = values[p.key];
    else delete target[name];
  }
  return out as LossConfig;
}

function withTrainingValues(training: TrainingSweep, params: readonly SearchedParam[], values: SearchParams): TrainingConfig {
  const out = structuredClone(training) as Record<string, unknown>;
  for (const p of params.filter((q) => q.scope === 'training')) out[p.field] = values[p.key];
  return out as unknown as TrainingConfig;
}

/** Stands in for a searched value while a study is named, then cut out with its fragment (`-m…`, ` m=…`). */
const SEARCHED = '«searched»';

/** The loss entry's id fragment and label without its searched fields: `scaled-bn`, "Scaled-BN"; fixed fields stay (`am-softmax-s30`). */
export function studyNames(entry: LossSweep, params: readonly SearchedParam[] = searchedLossFields(entry)): { key: string; label: string } {
  const marked = Object.fromEntries(params.filter((p) => p.scope === 'loss').map((p) => [p.key, SEARCHED]));
  const loss = withLossValues(entry, params, marked);
  if (loss.name === 'custom') {
    const options = Object.fromEntries(Object.entries(loss.options ?? {}).filter(([, v]) => v !== SEARCHED));
    const plain = { ...loss, options };
    return { key: lossKey(plain), label: lossLabel(plain) };
  }
  return { key: lossKey(loss).replace(/-[^-]*«searched»/g, ''), label: lossLabel(loss).replace(/ [^ ]*«searched»/g, '') };
}

/** One study per model × loss entry, in grid order. */
export function studiesOf(cfg: ExperimentConfig): Study[] {
  const trainingParams = searchedTrainingFields(cfg.training);
  return cfg.models.flatMap((m) => {
    const model: Required<ModelConfig> = { name: m.name, width: m.width ?? 1 };
    return cfg.losses.map((entry) => {
      const params = [...searchedLossFields(entry), ...trainingParams];
      const loss = withLossValues(entry, params, {});
      const { key, label } = studyNames(entry, params);
      return { key: `${modelKey(model)}__${key}`, model, modelLabel: modelLabel(model), lossLabel: label, entry, loss, training: withTrainingValues(cfg.training, params, {}), params };
    });
  });
}

/** The searched values of trial `index`: its own draw, the same whatever order trials are proposed in. */
export function trialParams(study: Study, index: number, seed: number): SearchParams {
  const values = randomSampler(study.params, seed).propose(index, []);
  return Object.fromEntries(study.params.map((p, i) => [p.key, values[i].value]));
}

function specOf(cfg: ExperimentConfig, study: Study, params: SearchParams, seed: number, runId: string, lossLabelText: string, role: RunSpec['search']): RunSpec {
  return {
    experiment: cfg.name,
    runId,
    dataset: structuredClone(cfg.dataset),
    model: { ...study.model },
    modelLabel: study.modelLabel,
    loss: withLossValues(study.entry, study.params, params),
    lossLabel: lossLabelText,
    seed,
    training: withTrainingValues(cfg.training, study.params, params),
    backend: cfg.backend,
    threads: cfg.threads ?? 1,
    search: role,
  };
}

/** Trial `index` of a study: trained with `search.seed` on the validation split, to all epochs unless ASHA pauses it. */
export function trialSpec(cfg: ExperimentConfig, study: Study, index: number): RunSpec {
  const { seed } = searchSettings(cfg);
  const params = trialParams(study, index, seed);
  const label = `${study.lossLabel} (${paramsText(params) || 'defaults'})`;
  return specOf(cfg, study, params, seed, `${study.key}__trial${index}`, label, { stage: 'trial', study: study.key, trial: index, params });
}

/** Every trial of every study, in study order: the grid of a search config. */
export function searchTrialSpecs(cfg: ExperimentConfig): RunSpec[] {
  const { trials } = searchSettings(cfg);
  return studiesOf(cfg).flatMap((study) => Array.from({ length: trials }, (_, i) => trialSpec(cfg, study, i)));
}

/** The final stage of a study: the chosen trial's values trained with each final seed; the row label is the loss's own, so rows pair by seed. */
export function finalSpecs(cfg: ExperimentConfig, study: Study, trial: number, params: SearchParams): RunSpec[] {
  return searchSettings(cfg).finalSeeds.map((seed) => specOf(cfg, study, params, seed, `${study.key}__seed${seed}`, study.lossLabel, { stage: 'final', study: study.key, trial, params }));
}

/** The final runs search.json has decided (each study with a chosen trial): where `run-one` finds a final-stage run. */
export function recordedFinalSpecs(cfg: ExperimentConfig, record: Pick<SearchRecord, 'studies'> | undefined): RunSpec[] {
  const chosen = new Map((record?.studies ?? []).flatMap((s) => (s.chosen ? [[s.key, s.chosen] as const] : [])));
  return studiesOf(cfg).flatMap((study) => {
    const pick = chosen.get(study.key);
    return pick ? finalSpecs(cfg, study, pick.trial, pick.params) : [];
  });
}

/** A validated config as a file to be validated again (a task's config, a manifest read back): a search's `seeds` there is only the schema's default, which a written search config may not hold. */
export function configToRevalidate(cfg: ExperimentConfig): Omit<ExperimentConfig, 'seeds'> & { seeds?: number[] } {
  if (!cfg.search) return cfg;
  const { seeds: _default, ...rest } = cfg;
  return rest;
}
