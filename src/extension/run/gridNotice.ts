/**
 * What the notifications say when a run fails and when a grid ends. Pure, so the words are
 * unit-tested: they must agree with the states the tree and the panel show.
 */
import { stateLabel } from '../../protocol/webview';
import type { RunResult } from './gridRunner';
import { Strings } from '../strings';
import { plural } from '../../core/util/format';

/** Ends `text` with a full stop unless it already ends a sentence. */
export function asSentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The error shown once per distinct failure: the reason as a sentence, then what to do. */
/** `run`: the run's title (runTitle), as the tree names it. */
export function runFailedNotice(run: string, reason: string, category: string): string {
  return `${asSentence(Strings.runFailed(run, reason))} ${Strings.failureHint(category)}`;
}

/** Outcomes in the order a person reads them, with how many runs ended in each. */
const ORDER: readonly RunResult['state'][] = ['done', 'failed', 'stopped', 'not-started'];

/**
 * "'demo' stopped: 2 runs stopped, 2 not started." after Stop, "'demo' finished: 4 runs done."
 * otherwise. Undefined when every run failed: each failure already has its error notification.
 */
export function gridEndNotice(name: string, outcomes: readonly RunResult[], stoppedByUser: boolean): string | undefined {
  // Runs kept because they had finished before did not run now; the kept-runs notice speaks of them.
  const ran = outcomes.filter((o) => !isKept(o));
  if (ran.length === 0 && outcomes.length > 0) return undefined;
  if (ran.length > 0 && ran.every((o) => o.state === 'failed')) return undefined;
  const counts = ORDER.map((state) => [state, ran.filter((o) => o.state === state).length] as const).filter(([, n]) => n > 0);
  const parts = counts.map(([state, n], i) => (i === 0 ? `${plural(n, 'run')} ${stateLabel(state)}` : `${n} ${stateLabel(state)}`));
  const kept = outcomes.length - ran.length;
  return `Loss Lab: '${name}' ${stoppedByUser ? 'stopped' : 'finished'}: ${parts.join(', ') || 'no runs'}${kept > 0 ? `, ${kept} kept as they were` : ''}.`;
}

/** A run the grid kept because it had finished before (gridRunner's outcome for it). */
export const isKept = (o: RunResult): boolean => o.state === 'done' && o.message !== undefined;

/**
 * What the kept-runs notice says: kept runs train again with Start Over; kept stale runs (trained with
 * another config, kept by choice) take the change with Run and Extend or Retrain.
 */
export function keptNotice(kept: number, keptStale: number): string | undefined {
  if (kept === 0) return undefined;
  return keptStale > 0 ? Strings.keptStale(kept, keptStale) : Strings.keptDone(kept);
}
