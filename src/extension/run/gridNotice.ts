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
export function runFailedNotice(runId: string, reason: string, category: string): string {
  return `${asSentence(Strings.runFailed(runId, reason))} ${Strings.failureHint(category)}`;
}

/** Outcomes in the order a person reads them, with how many runs ended in each. */
const ORDER: readonly RunResult['state'][] = ['done', 'failed', 'stopped', 'not-started'];

/**
 * "'demo' stopped: 2 runs stopped, 2 not started." after Stop, "'demo' finished: 4 runs done."
 * otherwise. Undefined when every run failed: each failure already has its error notification.
 */
export function gridEndNotice(name: string, outcomes: readonly RunResult[], stoppedByUser: boolean): string | undefined {
  if (outcomes.length > 0 && outcomes.every((o) => o.state === 'failed')) return undefined;
  const counts = ORDER.map((state) => [state, outcomes.filter((o) => o.state === state).length] as const).filter(([, n]) => n > 0);
  const parts = counts.map(([state, n], i) => (i === 0 ? `${plural(n, 'run')} ${stateLabel(state)}` : `${n} ${stateLabel(state)}`));
  return `Loss Lab: '${name}' ${stoppedByUser ? 'stopped' : 'finished'}: ${parts.join(', ') || 'no runs'}.`;
}
