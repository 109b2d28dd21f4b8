/**
 * Several runs on one device: a small network uses a fraction of a modern GPU, so a grid of small
 * runs finishes sooner with several per device (the scheduler's `runsPerGpu`). Measured here on
 * the CPU device as the proxy: the same case in 1, 2 and 4 processes at once, their img/s summed.
 */
import { spawn } from 'node:child_process';
import type { BackendTarget, BenchCase } from './cases';
import { childResult, type MeasureRequest, type MeasureResult } from './measure';

export interface ConcurrentRuns {
  caseId: string;
  target: string;
  runs: number;
  /** Sum over the runs of each one's median img/s; undefined when one failed. */
  totalImagesPerSec?: number;
  error?: string;
}

function childRun(script: string, req: MeasureRequest): Promise<MeasureResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, '--child', JSON.stringify(req)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code, signal) => resolve(childResult(req, out, err, String(code ?? signal))));
  });
}

export async function measureConcurrentRuns(script: string, benchCase: BenchCase, target: BackendTarget, counts: readonly number[] = [1, 2, 4]): Promise<ConcurrentRuns[]> {
  const rows: ConcurrentRuns[] = [];
  for (const runs of counts) {
    const results = await Promise.all(Array.from({ length: runs }, () => childRun(script, { target, benchCase })));
    const failed = results.find((r) => r.error || r.imagesPerSec === undefined);
    rows.push({ caseId: benchCase.id, target: target.id, runs, ...(failed ? { error: failed.error ?? 'no throughput' } : { totalImagesPerSec: results.reduce((a, r) => a + r.imagesPerSec!, 0) }) });
  }
  return rows;
}

export function formatConcurrentRuns(rows: readonly ConcurrentRuns[]): string[] {
  if (!rows.length) return [];
  const one = rows.find((r) => r.runs === 1)?.totalImagesPerSec;
  return [
    '',
    'Runs at once on one device (the CPU as the proxy for runsPerGpu): img/s summed over the runs',
    ...rows.map((r) => {
      const scaling = one && r.totalImagesPerSec ? `  ${(r.totalImagesPerSec / one).toFixed(2)}× one run` : '';
      return `  ${`${r.caseId} ${r.target}`.padEnd(30)} ${String(r.runs).padStart(2)} at once: ${r.error ? `error: ${r.error.slice(0, 80)}` : `${r.totalImagesPerSec!.toFixed(1).padStart(8)} img/s${scaling}`}`;
    }),
  ];
}
