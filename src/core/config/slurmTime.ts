/**
 * SLURM's time-limit formats, read exactly as sbatch reads them: a bare number is minutes and
 * two fields are minutes:seconds, so "12:00" is twelve minutes, not twelve hours. One parser
 * for the schema's examples, the requeue margin check and the messages.
 */

/** The forms sbatch --time accepts, as its manual lists them. */
const SLURM_TIME_FORMS = ['minutes', 'minutes:seconds', 'hours:minutes:seconds', 'days-hours', 'days-hours:minutes', 'days-hours:minutes:seconds'] as const;

/** Seconds in a SLURM time limit, or undefined when sbatch would not read it as one. */
export function parseSlurmTime(text: string): number | undefined {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const [days, a, b, c] = [m[1], m[2], m[3], m[4]].map((v) => (v === undefined ? undefined : Number(v)));
  if (days !== undefined) return days * 86400 + a! * 3600 + (b ?? 0) * 60 + (c ?? 0);
  if (c !== undefined) return a! * 3600 + b! * 60 + c;
  if (b !== undefined) return a! * 60 + b;
  return a! * 60;
}

/** "2 h 05 min", "12 min", "45 s": what a limit means, for messages. */
export function describeSeconds(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : '', s ? `${s} s` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 s';
}

/** Seconds before the time limit at which a requeueing task is told to checkpoint and requeue. */
export const DEFAULT_SIGNAL_MARGIN = 120;
/** How many times a task may requeue itself before it stops for good. */
export const DEFAULT_MAX_REQUEUES = 10;

/**
 * Why a requeueing grid with this limit and margin cannot work, or undefined: a margin at or
 * beyond the limit signals the task before (or as) it starts, so it would requeue forever.
 */
export function signalMarginProblem(time: string | undefined, margin: number | undefined): string | undefined {
  if (time === undefined) return undefined;
  const limit = parseSlurmTime(time);
  const m = margin ?? DEFAULT_SIGNAL_MARGIN;
  if (limit === undefined || m < limit) return undefined;
  return `executor.signalMargin ${m} s is not below executor.time '${time}' (${describeSeconds(limit)}; SLURM reads ${SLURM_TIME_FORMS.join(', ')}): every attempt would be told to requeue before it trains; raise time or lower signalMargin`;
}
