/**
 * Starting `tensorboard --logdir <experiment>` for the extension: finding it on PATH, reading
 * the address it serves at from its output, and the command line the CLI prints for users. The
 * event files themselves are written by core/results/tensorboard*.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The command someone types to view `dir` (printed by `losslab tensorboard`). */
export const tensorboardCommandLine = (dir: string): string => `tensorboard --logdir ${/\s/.test(dir) ? JSON.stringify(dir) : dir}`;

/** What to install when no TensorBoard is found. */
export const TENSORBOARD_INSTALL_HINT = 'pip install tensorboard';

/** The first executable `name` on `PATH` (with Windows' extensions there), or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const names = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((ext) => name + ext.toLowerCase()) : [name];
  for (const dir of dirs) {
    for (const candidate of names.map((n) => path.join(dir, n))) {
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The address in TensorBoard's "TensorBoard 2.14.0 at http://localhost:6006/ (Press CTRL+C to quit)". */
export function tensorboardUrl(output: string): string | undefined {
  return /\bat (https?:\/\/\S+?)\/?\s/.exec(`${output} `)?.[1];
}

export interface TensorboardServer {
  url: string;
  process: ChildProcess;
}

/** Output kept for an error message: the last lines. */
const tail = (text: string) => text.trim().split('\n').slice(-3).join(' | ');

/**
 * Starts `exe --logdir dir --port 0` (a free port the system picks) and resolves with the address
 * it serves at; rejects with its last output lines if it exits first or says nothing within `timeoutMs`.
 */
export function startTensorboard(exe: string, logdir: string, timeoutMs = 60_000): Promise<TensorboardServer> {
  const child = spawn(exe, ['--logdir', logdir, '--port', '0', '--host', 'localhost'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`TensorBoard ${why}${output.trim() ? `: ${tail(output)}` : ''}`));
    };
    const timer = setTimeout(() => fail(`gave no address within ${timeoutMs / 1000} s`), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = tensorboardUrl(output);
      if (!url) return;
      clearTimeout(timer);
      child.stdout?.removeAllListeners('data');
      child.stderr?.removeAllListeners('data');
      child.removeAllListeners('exit');
      resolve({ url, process: child });
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('error', (e) => fail(`could not start (${e.message})`));
    child.on('exit', (code) => fail(`exited with code ${code}`));
  });
}
