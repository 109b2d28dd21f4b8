// The parity harness: for each model × loss, Loss Lab trains a few steps and writes
// everything to a temporary folder (exportRun.ts), and the PyTorch mirror (mirror.py) redoes
// and checks them. Exports run here, one after the other (one wasm backend per process); the
// mirror runs in child processes alongside, so the two sides use two cores.
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LossConfig, ModelConfig } from '../src/core/config/types';
import { LOSS_DESCRIPTORS } from '../src/core/losses/registry';
import { exportRun, ExportOptions } from './exportRun';

export interface ParityCase {
  /** e.g. `resnet18-w0.25/scaled-bn`. */
  id: string;
  model: Required<ModelConfig>;
  loss: LossConfig;
  decayBiasAndBn?: boolean;
}

/** The networks at the widths the harness checks. */
export const PARITY_MODELS: Required<ModelConfig>[] = [
  { name: 'simple-cnn', width: 1 },
  { name: 'resnet18', width: 0.25 },
  { name: 'vgg16', width: 0.25 },
  { name: 'resnet50', width: 0.125 },
];

/** A loss and the case id's suffix where one loss has several cases (`-easy-margin`). */
export interface ParityLoss {
  loss: LossConfig;
  variant?: string;
}

const casesOf = (everyModel: boolean): ParityLoss[] =>
  LOSS_DESCRIPTORS.flatMap((d) => d.parity.filter((c) => Boolean(c.everyModel) === everyModel).map((c) => ({ loss: { name: d.name, ...c.options } as LossConfig, variant: c.variant })));

/** The losses whose descriptors ask for every network (the paper's four). */
export const PARITY_LOSSES: ParityLoss[] = casesOf(true);

/**
 * The heads added after the paper's four. A head's maths does not depend on the
 * backbone, so they run on two networks only: the plain CNN and a residual one with BN.
 */
export const HEAD_PARITY_MODELS: Required<ModelConfig>[] = PARITY_MODELS.slice(0, 2);

/** Every other parity case of the descriptors, each loss's in its descriptor's order. */
export const HEAD_PARITY_LOSSES: ParityLoss[] = casesOf(false);

function caseId(model: Required<ModelConfig>, { loss, variant = '' }: ParityLoss, decayBiasAndBn = true): string {
  return `${model.name}-w${model.width}/${loss.name}${variant}${decayBiasAndBn ? '' : '/no-bias-bn-decay'}`;
}

/**
 * Every model × loss, plus VGG-16 (the one network with conv biases) without weight decay on
 * biases and BN parameters: with the default (decay everything, PyTorch's default) Loss Lab's
 * isWeight flags are never read, so only this case checks them.
 */
export function parityCases(models = PARITY_MODELS, losses = PARITY_LOSSES, headModels = HEAD_PARITY_MODELS, headLosses = HEAD_PARITY_LOSSES): ParityCase[] {
  const grid = (ms: Required<ModelConfig>[], ls: ParityLoss[]) => ms.flatMap((model) => ls.map((l) => ({ id: caseId(model, l), model, loss: l.loss })));
  const cases: ParityCase[] = [...grid(models, losses), ...grid(headModels, headLosses)];
  const vgg = models.find((m) => m.name === 'vgg16');
  const ce = losses.find((l) => l.loss.name === 'ce');
  if (vgg && ce) cases.push({ id: caseId(vgg, ce, false), model: vgg, loss: ce.loss, decayBiasAndBn: false });
  return cases;
}

/** One line of mirror.py's output (the fields the table and the tests read; the rest is passed through). */
export interface MirrorResult {
  folder: string;
  pass: boolean;
  problems: string[];
  mutation?: string | null;
  /** The mirror raised instead of comparing. */
  error?: boolean;
  steps?: number;
  torch?: string;
  seconds?: number;
  step?: {
    lossRelMax: number;
    runningRelMax: number;
    gradMedian: number;
    gradRel: number[];
    gradTolerance: { median: number; max: number };
    sgdWorst: { ratio: number; where: string };
  };
  eval?: { lossRel: number; accLossLab: number; accTorch: number; disagree: number };
  /** null when a planted defect was caught before the free run. */
  free?: { lossRelMax: number; noise: number; tolerance: number; weightAbsMax: number } | null;
  [key: string]: unknown;
}

export interface ParityResult {
  case: ParityCase;
  result: MirrorResult;
  exportSeconds: number;
  /** The export folder when kept. */
  folder?: string;
}

export interface ParityOptions {
  cases?: ParityCase[];
  /** Passed to exportRun; the defaults (20 steps of 16 CIFAR-sized images, lr 0.01 then 0.001) are the harness's. */
  exportOptions?: Omit<ExportOptions, 'model' | 'loss' | 'out' | 'decayBiasAndBn'>;
  python: string;
  /** Keep the export folders (under this folder); otherwise each is deleted once checked. */
  keep?: string;
  /** Mirror processes at once (default: cores − 1, at least 1). */
  jobs?: number;
  /** Plant a defect in the PyTorch side (mirror.py --mutate): every case should then fail. */
  mutate?: string;
  log?: (line: string) => void;
}

const MIRROR = path.join(__dirname, 'mirror.py');

/** Candidates for a Python with torch: pyenv and venvs shadow Debian's python3-torch on PATH. */
export { findTorchPython } from '../src/host/torchPython';

/**
 * A mirror.py process that checks export folders one after the other (`--stdin`): torch is
 * imported once, not once per folder.
 */
class MirrorWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: { folder: string; resolve: (r: MirrorResult) => void }[] = [];
  private out = '';
  private err = '';
  private exited: string | null = null;

  constructor(python: string, mutate?: string) {
    const args = [MIRROR, '--stdin', ...(mutate ? ['--mutate', mutate] : [])];
    // One thread each: parallel cases would oversubscribe the cores (OMP starts one per core).
    const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' };
    this.child = spawn(python, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d: Buffer) => this.onStdout(d.toString()));
    this.child.stderr.on('data', (d: Buffer) => (this.err = (this.err + d.toString()).slice(-4000)));
    this.child.on('error', (e) => this.onExit(`could not start ${python}: ${e.message}`));
    this.child.on('close', (code) => this.onExit(`mirror.py exited ${code}: ${this.err.trim().split('\n').slice(-3).join(' | ')}`));
  }

  check(folder: string): Promise<MirrorResult> {
    return new Promise((resolve) => {
      if (this.exited) return resolve({ folder, pass: false, problems: [this.exited] });
      this.pending.push({ folder, resolve });
      this.child.stdin.write(`${folder}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }

  private onStdout(text: string): void {
    this.out += text;
    let nl: number;
    while ((nl = this.out.indexOf('\n')) >= 0) {
      const line = this.out.slice(0, nl);
      this.out = this.out.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      const result = JSON.parse(line) as MirrorResult;
      const i = this.pending.findIndex((p) => p.folder === result.folder);
      if (i >= 0) this.pending.splice(i, 1)[0].resolve(result);
    }
  }

  private onExit(why: string): void {
    this.exited ??= why;
    for (const p of this.pending.splice(0)) p.resolve({ folder: p.folder, pass: false, problems: [why] });
  }
}

/**
 * Exports and checks every case. The backend must already be selected (selectBackend).
 * Results come back in case order.
 */
export async function runParity(opts: ParityOptions): Promise<ParityResult[]> {
  const cases = opts.cases ?? parityCases();
  const log = opts.log ?? (() => {});
  const jobs = Math.max(1, opts.jobs ?? os.cpus().length - 1);
  const root = opts.keep ?? mkdtempSync(path.join(os.tmpdir(), 'losslab-parity-'));
  const results = new Array<ParityResult>(cases.length);
  const running = new Set<Promise<void>>();
  const idle = Array.from({ length: Math.min(jobs, cases.length) }, () => new MirrorWorker(opts.python, opts.mutate));
  const workers = [...idle];
  try {
    for (const [i, c] of cases.entries()) {
      const folder = path.join(root, c.id.replace(/\//g, '__'));
      const t0 = Date.now();
      try {
        await exportRun({ ...opts.exportOptions, model: c.model, loss: c.loss, decayBiasAndBn: c.decayBiasAndBn ?? true, out: folder });
      } catch (err) {
        const why = `Loss Lab export failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
        results[i] = { case: c, result: { folder, pass: false, problems: [why] }, exportSeconds: (Date.now() - t0) / 1000 };
        log(`${c.id}: ${why}`);
        continue;
      }
      const exportSeconds = (Date.now() - t0) / 1000;
      log(`${c.id}: exported in ${exportSeconds.toFixed(1)} s`);
      // At most `jobs` mirrors at once; an export waits (its folder can be 150 MB).
      while (!idle.length) await Promise.race(running);
      const worker = idle.pop()!;
      const job = worker.check(folder).then((result) => {
        idle.push(worker);
        results[i] = { case: c, result, exportSeconds, folder: opts.keep ? folder : undefined };
        log(`${c.id}: ${result.pass ? 'pass' : 'FAIL'} (mirror ${(result.seconds ?? 0).toFixed(1)} s)`);
        if (!opts.keep) rmSync(folder, { recursive: true, force: true });
      });
      const tracked = job.finally(() => running.delete(tracked));
      running.add(tracked);
    }
    await Promise.all(running);
  } finally {
    for (const w of workers) w.close();
    if (!opts.keep) rmSync(root, { recursive: true, force: true });
  }
  return results;
}

const e = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? String(v) : v === 0 ? '0' : v.toExponential(1));

/** The table `npm run parity` prints. */
export function formatParityTable(results: ParityResult[]): string {
  const header = ['case', 'step loss', 'running', 'grad med', 'sgd', 'eval loss', 'free loss', '(noise)', 'max |Δw|', 'result'];
  const rows = results.map(({ case: c, result: r }) => [
    c.id,
    e(r.step?.lossRelMax),
    e(r.step?.runningRelMax),
    e(r.step?.gradMedian),
    r.step ? r.step.sgdWorst.ratio.toFixed(2) : '-',
    e(r.eval?.lossRel),
    e(r.free?.lossRelMax),
    `(${e(r.free?.noise)})`,
    e(r.free?.weightAbsMax),
    r.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const { case: c, result: r } of results) {
    if (r.pass) continue;
    out.push('', `${c.id}:`);
    for (const p of r.problems.slice(0, 12)) out.push(`  ${p}`);
    if (r.problems.length > 12) out.push(`  ... and ${r.problems.length - 12} more`);
  }
  return out.join('\n');
}

export const TABLE_LEGEND = `every case also checks that each image fed is a torchvision-style crop/flip of its raw image.
columns (relative unless marked; see parity/mirror.py for the tolerances):
  step loss   worst per-step loss, PyTorch from Loss Lab's exact state before the step      (tolerance 1e-4)
  running     worst BN running statistic after a step from the same state, of what the step adds (1e-4)
  grad med    median over steps of the gradient's error from the same state                  (1e-4, or 8x PyTorch's own spread under a 1e-6 nudge)
  sgd         worst SGD step from identical weights, buffers and gradients, in float32 rounding allowances (<= 1)
  eval loss   final state in evaluation mode on a fixed batch                                (1e-4, same predictions)
  free loss   worst per-step loss of 20 free-running steps vs PyTorch float32 (noise: PyTorch vs itself nudged by 1e-6; tolerance max(1e-4, 8x noise))
  max |Δw|    largest absolute weight difference after the free run (informative)`;

/** Checks export folders in one mirror process (used to run the planted defects on kept exports). */
export async function checkFolders(python: string, folders: string[], mutate?: string): Promise<MirrorResult[]> {
  const worker = new MirrorWorker(python, mutate);
  try {
    return await Promise.all(folders.map((f) => worker.check(f)));
  } finally {
    worker.close();
  }
}
