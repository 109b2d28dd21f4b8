// The benchmark's stdout table.
import type { MeasureResult } from './measure';
import type { TorchResult } from './pytorch';
import type { GridTiming } from './bench';

export interface Row {
  caseId?: string;
  batch?: number;
  target: string;
  result?: MeasureResult;
  torch?: TorchResult | { error: string };
  unavailable?: string;
  /** µs per kernel call (a probe row, no case). */
  dispatchMicros?: number;
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

export function formatTable(rows: Row[], grid: GridTiming[], machine: Record<string, unknown>, torchVersion: string | undefined): string {
  const head = [
    'case',
    'backend',
    'params',
    'img/s',
    'step ms',
    'peak RSS MiB',
    'tensors warm→end',
    `PyTorch ${torchVersion ?? '–'} img/s`,
    'PyTorch params',
    'ours/PyTorch',
    'CPU ms ours/PyTorch',
    'by CPU',
  ];
  const body = rows
    .filter((r) => r.caseId)
    .map((r) => {
      const m = r.result!;
      if (m.error) return [r.caseId!, r.target, `error: ${m.error.slice(0, 80)}`, '', '', '', '', '', '', '', '', ''];
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
        `${fmt(m.medianCpuMs, 0)}/${fmt(t?.cpuMs, 0)}`,
        // PyTorch's CPU time over ours: the throughput ratio a quiet machine would show at 1 thread.
        t?.cpuMs && m.medianCpuMs ? `${(t.cpuMs / m.medianCpuMs).toFixed(2)}×` : '–',
      ];
    });
  const lines = [`\nLoss Lab training throughput (median of timed steps; machine: ${JSON.stringify(machine)})\n`, pad([head, ...body])];
  const skipped = rows.filter((r) => r.unavailable);
  if (skipped.length) lines.push('', 'Backends not measured:', ...skipped.map((r) => `  ${r.target}: ${r.unavailable!.slice(0, 400)}`));
  const profiled = rows.filter((r) => r.result?.profile);
  for (const r of profiled) {
    lines.push('', `Profile ${r.caseId} on ${r.target} (self ms per step, top 15):`);
    for (const p of r.result!.profile!.slice(0, 15))
      lines.push(`  ${p.kernel.padEnd(28)} ${p.msPerStep.toFixed(1).padStart(8)} ms  ${(p.share * 100).toFixed(1).padStart(5)}%  ${p.calls.toFixed(0).padStart(5)} calls`);
    const outside = r.result!.profile!.find((p) => p.kernel === '(outside kernels)');
    if (outside && !r.result!.profile!.slice(0, 15).includes(outside))
      lines.push(`  ${outside.kernel.padEnd(28)} ${outside.msPerStep.toFixed(1).padStart(8)} ms  ${(outside.share * 100).toFixed(1).padStart(5)}%`);
  }
  const dispatch = rows.filter((r) => r.dispatchMicros !== undefined);
  if (dispatch.length) {
    lines.push('', 'Dispatch overhead (µs per kernel call through the tfjs engine: a 1-element Add and its dispose):');
    for (const r of dispatch) lines.push(`  ${r.target.padEnd(16)} ${r.dispatchMicros!.toFixed(2).padStart(8)} µs`);
  }
  const floors = rows.filter((r) => r.result?.kernelCallsPerStep && r.result.dispatchMicros && r.batch);
  if (floors.length) {
    lines.push(
      '',
      "Overhead floor (calls per step × µs per call: the step time no device can go under, and the img/s ceiling it sets; on torch the addon's calls, which a replayed step makes directly; elsewhere tfjs kernels; host reads inside the step, target 0):",
    );
    for (const r of floors) {
      const m = r.result!;
      const floorMs = (m.kernelCallsPerStep! * m.dispatchMicros!) / 1000;
      lines.push(
        `  ${`${r.caseId} ${r.target}`.padEnd(36)} ${m.kernelCallsPerStep!.toFixed(0).padStart(6)} calls × ${m.dispatchMicros!.toFixed(2)} µs = ${floorMs.toFixed(2).padStart(6)} ms  ≤ ${fmt((r.batch! / floorMs) * 1000)} img/s at batch ${r.batch}, ${m.hostReadsPerStep ?? '–'} host reads`,
      );
    }
  }
  if (grid.length) {
    lines.push('', 'Quick example grid end to end (4 runs, 1 thread each):');
    const base = grid.find((g) => g.backend === 'wasm' && g.parallel === 2);
    for (const g of grid) {
      const vs = base && g !== base && g.exitCode === 0 ? `  ${(base.seconds / g.seconds).toFixed(2)}× wasm --parallel 2` : '';
      lines.push(`  ${g.backend.padEnd(6)} --parallel ${g.parallel}: ${String(g.seconds).padStart(6)} s (exit ${g.exitCode})${vs}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
