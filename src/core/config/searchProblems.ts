/**
 * Checks of a search the schema cannot express: what it needs (a validation split, one number of
 * epochs), its distributions' bounds, and a distribution written without a search, each at its place.
 */
import { distributionProblem, isDistributionObject, type Distribution } from '../search/distributions';
import { searchedLossFields, searchedTrainingFields } from '../search/space';
import type { ConfigProblem } from './configError';
import { searchedValuesProblem } from './sweepProblems';
import type { LossSweep, TrainingSweep } from './types';

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every distribution object in the losses and training, with its JSON pointer. */
function distributionsOf(cfg: Loose): [string, Distribution][] {
  const found: [string, Distribution][] = [];
  const scan = (obj: unknown, at: string) => {
    if (!isObject(obj)) return;
    for (const [field, value] of Object.entries(obj)) if (isDistributionObject(value)) found.push([`${at}/${field}`, value]);
  };
  if (Array.isArray(cfg.losses))
    cfg.losses.forEach((loss: unknown, i) => {
      scan(loss, `/losses/${i}`);
      if (isObject(loss)) scan(loss.options, `/losses/${i}/options`);
    });
  scan(cfg.training, '/training');
  return found;
}

/** Pointers of the fields a search draws (so a distribution elsewhere, say on `epochs`, is named as not searchable). */
function searchablePointers(cfg: Loose): Set<string> {
  const pointers = new Set<string>();
  try {
    if (Array.isArray(cfg.losses))
      cfg.losses.forEach((loss: unknown, i) => {
        if (isObject(loss) && typeof loss.name === 'string') for (const p of searchedLossFields(loss as LossSweep)) pointers.add(`/losses/${i}/${p.field.replace('.', '/')}`);
      });
    if (isObject(cfg.training)) for (const p of searchedTrainingFields(cfg.training as TrainingSweep)) pointers.add(`/training/${p.field}`);
  } catch {
    // malformed entries: the schema reports them
  }
  return pointers;
}

const fieldName = (pointer: string) =>
  pointer
    .split('/')
    .slice(pointer.startsWith('/training') ? 1 : 3)
    .join('.');

/** `original`: the config as written (seeds is filled by the schema). */
export function searchProblems(cfg: Loose, original: unknown): ConfigProblem[] {
  const distributions = distributionsOf(cfg);
  if (!isObject(cfg.search)) {
    return distributions.map(([path]) => ({ path, message: `${fieldName(path)}: a distribution is drawn from by a search only (allowed: a number, a list or a range; or add a "search" block)` }));
  }
  const problems: ConfigProblem[] = [];
  const dataset = isObject(cfg.dataset) ? cfg.dataset : {};
  if (dataset.validation === undefined) {
    problems.push({ path: '/search', message: 'a search tunes on a validation split, never on test: add dataset.validation, e.g. "validation": 0.1' });
  }
  const training = isObject(cfg.training) ? cfg.training : {};
  const epochs = training.epochs;
  if (epochs !== undefined && typeof epochs !== 'number') {
    problems.push({ path: '/training/epochs', message: 'a search trains to one number of epochs, its budget (allowed: a number, not a sweep or a distribution)' });
  }
  const prune = isObject(cfg.search.prune) ? cfg.search.prune : {};
  if (typeof prune.minEpochs === 'number' && typeof epochs === 'number' && prune.minEpochs > epochs) {
    problems.push({ path: '/search/prune/minEpochs', message: `the first rung (${prune.minEpochs} epochs) is after the last epoch (allowed: 1 to training.epochs = ${epochs})` });
  }
  if (isObject(original) && original.seeds !== undefined) {
    problems.push({ path: '/seeds', message: 'a search trains its trials with search.seed and its final runs with search.finalSeeds: remove seeds' });
  }
  const searchable = searchablePointers(cfg);
  for (const [path, d] of distributions) {
    if (!searchable.has(path)) {
      if (path !== '/training/epochs') problems.push({ path, message: `${fieldName(path)} cannot be searched (allowed: a number)` });
      continue;
    }
    const why = distributionProblem(d) ?? boundsProblem(cfg, path, d);
    if (why) problems.push({ path, message: `${fieldName(path)}: ${why}` });
  }
  return problems;
}

/** A distribution reaching outside its field's bounds (a custom loss's options have none), e.g. `{ "uniform": [-1, 2] }` for a margin ≥ 0. */
function boundsProblem(cfg: Loose, path: string, d: Distribution): string | undefined {
  const [, section, index, field] = path.split('/');
  const values = Array.isArray(d) ? d : Object.values(d)[0];
  let bad: string | undefined;
  if (section === 'training') bad = searchedValuesProblem(values, index);
  else {
    const loss = Array.isArray(cfg.losses) ? (cfg.losses[Number(index)] as unknown) : undefined;
    if (field !== 'options' && isObject(loss) && typeof loss.name === 'string') bad = searchedValuesProblem(values, field, loss.name);
  }
  return bad && `the ${Array.isArray(d) ? 'list' : `range of "${Object.keys(d)[0]}"`} reaches ${bad}`;
}
