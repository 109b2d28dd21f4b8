/**
 * Whether a value has the shape the Tuning section draws from (record.ts): parseSearchRecord checks
 * the envelope; this checks each study and trial too, so a hand-edited or half-written file is
 * reported as damaged instead of breaking the charts. Pure: the reader and the webview's message
 * check share it.
 */
import type { SearchRecord, TrialState } from './record';

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isParamValue = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || isFiniteNumber(v);
const isParams = (v: unknown) => isObject(v) && Object.values(v).every(isParamValue);
const TRIAL_STATE_LIST: Record<TrialState, true> = { running: true, paused: true, pruned: true, complete: true, failed: true };
/** Every trial state, checked against the type by the record above. */
export const TRIAL_STATES = Object.keys(TRIAL_STATE_LIST);

const isRung = (v: unknown) => isObject(v) && Number.isInteger(v.epoch) && isFiniteNumber(v.valAcc);
const isTrial = (v: unknown) =>
  isObject(v) &&
  Number.isInteger(v.index) &&
  typeof v.runId === 'string' &&
  isParams(v.params) &&
  TRIAL_STATES.includes(v.state as string) &&
  Number.isInteger(v.epochs) &&
  Array.isArray(v.rungs) &&
  v.rungs.every(isRung);
const isChosen = (v: unknown) => isObject(v) && Number.isInteger(v.trial) && isParams(v.params) && isFiniteNumber(v.valAcc) && Number.isInteger(v.epoch);
const isStudy = (v: unknown) =>
  isObject(v) &&
  typeof v.key === 'string' &&
  typeof v.modelLabel === 'string' &&
  typeof v.lossLabel === 'string' &&
  isObject(v.space) &&
  Array.isArray(v.trials) &&
  v.trials.every(isTrial) &&
  (v.chosen === undefined || isChosen(v.chosen)) &&
  Array.isArray(v.finalRunIds) &&
  v.finalRunIds.every((id) => typeof id === 'string');
const isIntegerList = (v: unknown) => Array.isArray(v) && v.every((n) => Number.isInteger(n));
const isBudget = (v: unknown) => isObject(v) && Number.isInteger(v.trialsPerStudy) && Number.isInteger(v.maxEpochs) && isIntegerList(v.rungs) && isFiniteNumber(v.eta) && isIntegerList(v.finalSeeds);

export function isSearchRecord(v: unknown): v is SearchRecord {
  return isObject(v) && v.version === 1 && ['tuning', 'final', 'done'].includes(v.stage as string) && isBudget(v.budget) && Array.isArray(v.studies) && v.studies.every(isStudy);
}
