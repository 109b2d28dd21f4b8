/**
 * Flags of `losslab run` that only the local executor honours. Under SLURM each task resumes its
 * run as it finds it, so asking for another policy is refused by name rather than ignored.
 */
import type { RunCommandOptions } from './runCommand';

/** The refusal for these options under SLURM, one line, or undefined when all of them apply there. */
export function slurmRefusal(opts: Pick<RunCommandOptions, 'resume' | 'stale'>): string | undefined {
  const flags = [
    ...(opts.resume === 'restart' ? ['--restart'] : []),
    ...(opts.resume === 'refuse' ? ['--no-resume'] : []),
    ...(opts.stale === 'extend' ? ['--extend'] : []),
    ...(opts.stale === 'retrain' ? ['--retrain-stale'] : []),
  ];
  if (flags.length === 0) return undefined;
  return `${flags.join(', ')} ${flags.length === 1 ? 'is' : 'are'} not supported with the SLURM executor (each task resumes its run where it stopped): run with --executor local for ${flags.length === 1 ? 'it' : 'them'}, or delete the run folders to train from scratch`;
}
