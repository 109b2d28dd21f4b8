/**
 * Checks the schema cannot express. They run even when the schema check failed
 * (so one pass reports everything), hence every access is guarded.
 */
import type { ConfigProblem } from './configError';
import { lossKey, lossLabel, modelKey, modelLabel } from './grid';
import { expandLoss, isRange, sweepValues } from './sweep';
import { signalMarginProblem } from './slurmTime';
import { sweepProblems } from './sweepProblems';
import { searchProblems } from './searchProblems';
import { searchedLossFields, studyNames } from '../search/space';
import type { LossConfig, LossSweep, ModelConfig } from './types';

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The paper's schedule shape (×gamma at 30%, 60%, 90% of the epochs) for `epochs` epochs.
 * A milestone takes effect after that epoch, so one at the last epoch would decay nothing:
 * each is kept below `epochs` (none for a one-epoch run).
 */
function scaledMilestones(epochs: number): number[] {
  const ms = [0.3, 0.6, 0.9].map((f) => Math.min(epochs - 1, Math.max(1, Math.round(f * epochs)))).filter((m) => m >= 1);
  return ms.filter((m, i) => i === 0 || m > ms[i - 1]);
}

function checkMilestones(training: Loose, given: boolean): ConfigProblem[] {
  const { milestones, epochs } = training;
  if (!Array.isArray(milestones)) return [];
  // Defaults filled in by the schema: one problem about the default, not one per milestone.
  if (!given && isNumber(epochs) && milestones.some((m) => isNumber(m) && m > epochs)) {
    return [
      {
        path: '/training/epochs',
        message: `training.epochs = ${epochs} is shorter than the default milestones [${milestones.join(', ')}] (the paper's 100-epoch schedule): set training.milestones, e.g. [${scaledMilestones(epochs).join(', ')}] for the same schedule scaled to ${epochs} epochs`,
      },
    ];
  }
  const problems: ConfigProblem[] = [];
  milestones.forEach((m: unknown, i) => {
    const path = `/training/milestones/${i}`;
    const previous: unknown = milestones[i - 1];
    if (!isNumber(m)) return;
    if (i > 0 && isNumber(previous) && m <= previous) {
      problems.push({ path, message: `milestone ${m} does not come after ${previous} (allowed: strictly ascending epochs)` });
    }
    if (isNumber(epochs) && m > epochs) {
      problems.push({ path, message: `milestone ${m} is after the last epoch (allowed: 1 to training.epochs = ${epochs})` });
    }
  });
  return problems;
}

/** The epochs of the shortest run: swept epochs are checked against the milestones at their smallest value. */
function shortestEpochs(epochs: unknown): unknown {
  if (!Array.isArray(epochs) && !isRange(epochs)) return epochs;
  const values = sweepValues(epochs).filter(isNumber);
  return values.length > 0 ? Math.min(...values) : undefined;
}

/** Reports every entry equal (by `key`) to an earlier one, pointing at both. */
function checkUnique<T>(list: unknown, path: string, what: string, key: (item: T) => string, label: (item: T) => string, valid: (item: unknown) => boolean): ConfigProblem[] {
  if (!Array.isArray(list)) return [];
  const firstIndex = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  list.forEach((item: unknown, i) => {
    if (!valid(item)) return;
    let k: string | undefined;
    try {
      k = key(item as T);
    } catch {
      k = undefined;
    }
    if (typeof k !== 'string') return; // malformed item; the schema check reports it
    const first = firstIndex.get(k);
    if (first === undefined) firstIndex.set(k, i);
    else problems.push({ path: `${path}/${i}`, message: `duplicate ${what} ${label(item as T)} (same as ${path}/${first}); it would run the same runs twice` });
  });
  return problems;
}

/** Device names Windows reserves in every folder, with or without an extension (`nul`, `com1.txt`). */
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * The experiment name is a folder under the output folder: the schema's pattern keeps out separators
 * and dot-only names ('.', '..'); this keeps out what is a folder name on Linux but not on Windows.
 */
function checkFolderName(name: unknown): ConfigProblem[] {
  if (typeof name !== 'string') return [];
  if (RESERVED_NAME.test(name)) return [{ path: '/name', message: `"${name}" is a device name reserved by Windows (allowed: any other folder name)` }];
  if (/[.]$/.test(name) && !/^[.]+$/.test(name))
    return [{ path: '/name', message: `"${name}" ends with '.', which Windows drops from folder names (allowed: a name ending in a letter, digit, '_' or '-')` }];
  return [];
}

/** The plain losses a loss entry stands for (several when it sweeps a field), as [key, label]; none when malformed. */
function expandedKeys(loss: unknown): [string, string][] {
  if (!isObject(loss) || typeof loss.name !== 'string') return [];
  try {
    return expandLoss(loss as LossSweep).map(({ value }) => [lossKey(value), lossLabel(value)]);
  } catch {
    return []; // malformed; the schema check reports it
  }
}

/** A loss entry that stands for a loss an earlier entry already has (equal, or overlapping sweeps) would run the same runs twice. */
function checkUniqueLosses(losses: unknown): ConfigProblem[] {
  if (!Array.isArray(losses)) return [];
  const firstIndex = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  losses.forEach((loss: unknown, i) => {
    const keys = expandedKeys(loss);
    const repeated = keys.find(([key]) => firstIndex.has(key));
    if (repeated) problems.push({ path: `/losses/${i}`, message: `duplicate loss '${repeated[1]}' (same as /losses/${firstIndex.get(repeated[0])}); it would run the same runs twice` });
    for (const [key] of keys) if (!firstIndex.has(key)) firstIndex.set(key, i);
  });
  return problems;
}

/** Each loss entry of a search with its searched fields left out: the loss its study is named by. */
function studyLosses(losses: unknown): unknown[] {
  if (!Array.isArray(losses)) return [];
  return losses.map((loss: unknown) => {
    if (!isObject(loss) || typeof loss.name !== 'string') return loss;
    const plain: Loose = { ...loss };
    for (const p of searchedLossFields(loss as LossSweep)) if (!p.field.startsWith('options.')) delete plain[p.field];
    return plain;
  });
}

/** Two loss entries of a search that differ only in what they search would be one study twice. */
function checkUniqueStudies(losses: unknown): ConfigProblem[] {
  return checkUnique<LossSweep>(
    losses,
    '/losses',
    'loss',
    (l) => studyNames(l).key,
    (l) => `'${studyNames(l).label}'`,
    (l) => isObject(l) && typeof l.name === 'string',
  );
}

/** The baseline is one of the grid's losses: the tables pair its runs with the others' by seed. */
function checkBaseline(baseline: unknown, losses: unknown): ConfigProblem[] {
  if (!isObject(baseline) || typeof baseline.name !== 'string' || !Array.isArray(losses)) return [];
  const expanded = losses.flatMap(expandedKeys);
  const own = expandedKeys(baseline);
  if (own.length !== 1 || expanded.length === 0 || expanded.some(([key]) => key === own[0][0])) return []; // a swept baseline: sweepProblems reports it
  const labels = [...new Set(expanded.map(([, label]) => `'${label}'`))];
  return [{ path: '/baseline', message: `baseline '${lossLabel(baseline as LossConfig)}' is not one of the losses (allowed: ${labels.join(', ')})` }];
}

/** `original`: the config as written, before the schema filled in defaults (to tell the user's values from ours). */
export function semanticProblems(cfg: unknown, original: unknown = cfg): ConfigProblem[] {
  if (!isObject(cfg)) return [];
  const written = isObject(original) && isObject(original.training) ? original.training : {};
  const training = isObject(cfg.training) ? cfg.training : {};
  const dataset = isObject(cfg.dataset) ? cfg.dataset : {};
  const problems = [
    ...checkFolderName(cfg.name),
    ...checkMilestones({ ...training, epochs: shortestEpochs(training.epochs) }, written.milestones !== undefined),
    ...checkUnique<number>(cfg.seeds, '/seeds', 'seed', String, String, isNumber),
    // A search's entries are studies: their keys and the baseline are checked with the searched fields left out.
    ...(isObject(cfg.search) ? checkUniqueStudies(cfg.losses) : checkUniqueLosses(cfg.losses)),
    ...sweepProblems(cfg),
    ...searchProblems(cfg, original),
    ...checkBaseline(cfg.baseline, isObject(cfg.search) ? studyLosses(cfg.losses) : cfg.losses),
    ...checkUnique<ModelConfig>(
      cfg.models,
      '/models',
      'model',
      modelKey,
      (m) => `'${modelLabel(m)}'`,
      (m) => isObject(m) && typeof m.name === 'string',
    ),
  ];
  const executor = isObject(cfg.executor) ? cfg.executor : {};
  if (executor.type === 'slurm' && executor.requeue === true && typeof executor.time === 'string') {
    const problem = signalMarginProblem(executor.time, isNumber(executor.signalMargin) ? executor.signalMargin : undefined);
    if (problem) problems.push({ path: '/executor/signalMargin', message: problem });
  }
  if (dataset.validation !== undefined && dataset.validationFraction !== undefined) {
    problems.push({
      path: '/dataset/validation',
      message: 'validation and validationFraction cannot both be set (validation keeps the test split beside the hold-out, validationFraction replaces it): keep one',
    });
  }
  const { trainSubset } = dataset;
  const { batchSize } = training;
  if (isNumber(trainSubset) && isNumber(batchSize) && trainSubset < batchSize) {
    problems.push({
      path: '/dataset/trainSubset',
      message: `trainSubset ${trainSubset} is smaller than one batch (allowed: ≥ training.batchSize = ${batchSize})`,
    });
  }
  return problems;
}
