/**
 * The experiment folder's record of its SLURM submissions (`<experiment>/slurm/jobs.json`):
 * which array job trains which runs. It is what lets `losslab status` and a reopened VS Code
 * window reattach to a grid that is still queued or running.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../../core/results/atomicFile';

const SLURM_DIR = 'slurm';
const JOBS_FILE = 'jobs.json';

export interface SlurmSubmission {
  /** The array job id sbatch printed. */
  jobId: string;
  /** The job script, relative to the experiment folder. */
  script: string;
  /** Task i trains runIds[i]. */
  runIds: string[];
  submittedAt: string;
  requeue: boolean;
}

interface SlurmJobsFile {
  submissions: SlurmSubmission[];
}

export const slurmDirOf = (experimentDir: string) => path.join(experimentDir, SLURM_DIR);
export const logDirOf = (experimentDir: string) => path.join(slurmDirOf(experimentDir), 'logs');
export const logFileOf = (experimentDir: string, taskId: string) => path.join(logDirOf(experimentDir), `${taskId}.log`);

export function readSubmissions(experimentDir: string): SlurmSubmission[] {
  try {
    return readJsonIfExists<SlurmJobsFile>(path.join(slurmDirOf(experimentDir), JOBS_FILE))?.submissions ?? [];
  } catch {
    return []; // a damaged record only loses the scheduler's view; the runs' own files remain
  }
}

export function recordSubmission(experimentDir: string, submission: SlurmSubmission): void {
  const submissions = [...readSubmissions(experimentDir), submission];
  fs.mkdirSync(slurmDirOf(experimentDir), { recursive: true });
  writeJsonAtomic(path.join(slurmDirOf(experimentDir), JOBS_FILE), { submissions } satisfies SlurmJobsFile);
}

/** The latest task of each run: a rerun's submission supersedes earlier ones. */
export function latestTasks(submissions: SlurmSubmission[]): Map<string, { taskId: string; submission: SlurmSubmission }> {
  const tasks = new Map<string, { taskId: string; submission: SlurmSubmission }>();
  for (const s of submissions) s.runIds.forEach((runId, i) => tasks.set(runId, { taskId: `${s.jobId}_${i}`, submission: s }));
  return tasks;
}
