// The benchmark's stdout table.
import type { MeasureResult } from './measure';
import type { TorchResult } from './pytorch';

export interface Row {
  caseId?: string;
  batch?: number;
  target: string;
  result?: MeasureResult;
  torch?: TorchResult | { error: string };
  unavailable?: string;
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

export function formatTable(rows: Row[], grid: Record<string, unknown>, machine: Record<string, unknown>, torchVersion: string | undefined): string {
  const head = ['case', 'backend', 'params', 'img/s', 'step ms', 'peak RSS MiB', 'tensors warm→end', `PyTorch ${torchVersion ?? '–'} img/s`, 'PyTorch params', 'ours/PyTorch'];
  const body = rows
    .filter((r) => r.caseId)
    .map((r) => {
      const m = r.result!;
      if (m.error) return [r.caseId!, r.target, `error: ${m.error.slice(0, 80)}`, '', '', '', '', '', '', ''];
      const t = r.torch && 'imagesPerSec' in r.torch ? r.torch : undefined;
      const torchErr = r.torch && 'error' in r.torch ? `error: ${r.torch.error.slice(0, 40)}` : undefined;
      return [
        r.caseId!,
        `${r.target}`,
        fmt(m.trainableParams),
        fmt(m.imagesPerSec, 1),
        fmt(m.medianStepMs, 0),
        fmt(m.peakRssMiB, 0),
        m.tensors ? `${m.tensors[0]}→${m.tensors[1]}` : '–',
        torchErr ?? fmt(t?.imagesPerSec, 1),
        fmt(t?.trainableParams),
        t && m.imagesPerSec ? `${(m.imagesPerSec / t.imagesPerSec).toFixed(2)}×` : '–',
      ];
    });
  const lines = [`\nLoss Lab training throughput (median of timed steps; machine: ${JSON.stringify(machine)})\n`, pad([head, ...body])];
  const skipped = rows.filter((r) => r.unavailable);
  if (skipped.length) lines.push('', 'Backends not measured:', ...skipped.map((r) => `  ${r.target}: ${r.unavailable!.slice(0, 400)}`));
  const profiled = rows.filter((r) => r.result?.profile);
  for (const r of profiled) {
    lines.push('', `Profile ${r.caseId} on ${r.target} (self ms per step, top 15):`);
    for (const p of r.result!.profile!.slice(0, 15)) lines.push(`  ${p.kernel.padEnd(28)} ${p.msPerStep.toFixed(1).padStart(8)} ms  ${(p.share * 100).toFixed(1).padStart(5)}%  ${p.calls.toFixed(0).padStart(5)} calls`);
    const outside = r.result!.profile!.find((p) => p.kernel === '(outside kernels)');
    if (outside && !r.result!.profile!.slice(0, 15).includes(outside)) lines.push(`  ${outside.kernel.padEnd(28)} ${outside.msPerStep.toFixed(1).padStart(8)} ms  ${(outside.share * 100).toFixed(1).padStart(5)}%`);
  }
  if (grid.parallel1) {
    const g1 = grid.parallel1 as { seconds: number; exitCode: number };
    const g2 = grid.parallel2 as { seconds: number; exitCode: number };
    lines.push('', `Quick example grid (4 runs, wasm 1 thread each): --parallel 1: ${g1.seconds} s (exit ${g1.exitCode}); --parallel 2: ${g2.seconds} s (exit ${g2.exitCode}); speed-up ${grid.speedup}×`);
  }
  return `${lines.join('\n')}\n`;
}
