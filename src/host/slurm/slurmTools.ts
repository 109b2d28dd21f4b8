/**
 * Finds and runs SLURM's client commands. A machine without them (a laptop, a compute node
 * image without the client) gets one message naming the commands that are missing and where
 * they were looked for, rather than an ENOENT from deep inside a spawn.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A SLURM command is missing or refused: the message is meant for the user, one line. */
export class SlurmError extends Error {
  override readonly name = 'SlurmError';
}

const SUBMIT_TOOLS = ['sbatch', 'squeue', 'scancel'] as const;

/** The full path of `command` on `PATH`, or undefined. */
export function whichCommand(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Throws SlurmError naming every command of `tools` that is not on PATH. */
export function requireSlurmTools(tools: readonly string[] = SUBMIT_TOOLS, env: NodeJS.ProcessEnv = process.env): void {
  const missing = tools.filter((t) => !whichCommand(t, env));
  if (missing.length === 0) return;
  throw new SlurmError(
    `the SLURM executor needs ${missing.join(', ')}, not found on PATH (${env.PATH || 'empty'}): run on the cluster's login node, or install SLURM's client (Debian: apt-get install slurm-client); or use "executor": {"type": "local"}`,
  );
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a SLURM command; never throws for a non-zero exit (the caller decides), only for a missing one. */
export function runSlurm(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 30_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
      if (e && e.code === 'ENOENT') return reject(new SlurmError(`${command} not found on PATH: install SLURM's client (slurm-client) or run on the cluster's login node`));
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** First line of a command's complaint, for one-line messages. */
export const firstLine = (r: CommandResult) => (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
