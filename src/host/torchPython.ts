// Finds a Python whose `torch` imports: PyTorch the parity mirror and the benchmark compare with.
import { spawnSync } from 'node:child_process';

export interface TorchPython {
  python?: string;
  /** torch.__version__, e.g. '2.13.0+cpu'. */
  version?: string;
  /** Each Python tried and why it did not do, for the message when none does. */
  tried: string[];
}

/**
 * LOSSLAB_PYTHON, the python3 on PATH, then Debian's (pyenv and venvs shadow /usr/bin/python3 on
 * PATH, and Debian's python3-torch lives there): the order the native engine looks for libtorch in.
 */
function torchPythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Set([env.LOSSLAB_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p)))];
}

export function findTorchPython(candidates: string[] = torchPythonCandidates()): TorchPython {
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python, version: r.stdout.trim(), tried };
    tried.push(`${python}: ${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}`);
  }
  return { tried };
}
