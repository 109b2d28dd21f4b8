/**
 * `npm run bench`: training throughput and peak memory of Loss Lab's step on every backend that
 * loads, against PyTorch CPU at the same thread count, and the quick example grid's wall time
 * with 1 and 2 parallel runs. A table on stdout, everything in a JSON file. See BENCHMARKS.md.
 *
 * Each (backend, case) is measured in a child process of this same script (`--child`), so peak
 * RSS is per case and each wasm thread count gets its own module.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { allCases, allTargets, BackendTarget, BenchCase, quickCases } from './cases';
import { childResult, measure, RESULT_PREFIX, type MeasureRequest, type MeasureResult } from './measure';
import { findTorchPython, installTorch, runTorch, TorchResult } from './pytorch';
import { formatTable, Row } from './report';
import { formatConcurrentRuns, measureConcurrentRuns, type ConcurrentRuns } from './concurrentRuns';
import { formatDataPipeline, measureDataPipeline, type DataPipelineResult } from './dataPipeline';

const USAGE = `Usage: node dist/bench.js [options]   (npm run bench -- [options])
  --case A,B         only cases whose id contains one of these (e.g. simple-cnn, w0.25/ce)
  --backend A,B      only these targets: torch-1t, torch-2t, tensorflow-gpu, tensorflow, webgpu, wasm-1t, wasm-2t, cpu
  --quick            simple-cnn and resnet18-w0.25 with the ce head, 3 timed steps
  --steps N          timed steps per case (after the warm-up)
  --repeat N         measure each case N times (fresh processes), keep the median run (shared machines)
  --profile          per-kernel self time of the timed steps (wasm, cpu, torch on the CPU)
  --disable A,B      switch off optimisations for comparison (LOSSLAB_DISABLE, see src/core/backend/fastPaths.ts)
  --torch-python A,B compare with each of these Pythons' PyTorch; the torch engine is loaded as built
                     against that same PyTorch (LOSSLAB_PYTHON), so each ratio is engine vs its own libtorch
  --no-torch         skip PyTorch
  --install-torch    apt-get install python3-torch when no Python has torch
  --grid             also time the quick example grid end to end with --parallel 1 and 2 (minutes)
  --grid-backends    the backends the grid is timed on (default wasm,torch)
  --grid-only        only the grid
  --concurrent       also the first case on the first torch (else wasm) target as 1, 2 and 4 runs at once
  --out FILE         JSON results (default bench-results.json)
`;

function log(m: string): void {
  process.stderr.write(`${m}\n`);
}

/** The run with the median throughput of `repeat` runs: the machine may be shared, and one run can be unlucky. */
function medianRun<T>(repeat: number, run: () => T, ips: (r: T) => number | undefined): T {
  const runs = Array.from({ length: repeat }, run);
  const ok = runs.filter((r) => ips(r) !== undefined).sort((a, b) => ips(a)! - ips(b)!);
  return ok.length ? ok[Math.floor((ok.length - 1) / 2)] : runs[0];
}

function runChild(req: MeasureRequest, disable: string | undefined, python?: string): MeasureResult {
  // LOSSLAB_PYTHON: the torch engine loads the build made against that Python's libtorch.
  const env = { ...process.env, ...(disable ? { LOSSLAB_DISABLE: disable } : {}), ...(python ? { LOSSLAB_PYTHON: python, LIBTORCH: '' } : {}) };
  const r = spawnSync(process.execPath, [__filename, '--child', JSON.stringify(req)], { encoding: 'utf8', env, maxBuffer: 64 * 2 ** 20 });
  return childResult(req, r.stdout, r.stderr || String(r.error ?? ''), String(r.status ?? r.signal));
}

export interface GridTiming {
  backend: string;
  parallel: number;
  seconds: number;
  exitCode: number | null;
}

/** The quick example grid end to end through the CLI (worker start, data, training, evaluation). */
function gridWallSeconds(backend: string, parallel: number): GridTiming {
  const outDir = mkdtempSync(path.join(os.tmpdir(), `losslab-bench-grid-${backend}-p${parallel}-`));
  const config = path.join(__dirname, '..', 'examples', 'quick-fashion-mnist.losslab.json');
  const args = [path.join(__dirname, 'cli.js'), 'run', config, '--out', outDir, '--parallel', String(parallel), '--backend', backend, '--threads', '1', '--restart'];
  log(`grid: ${args.slice(1).join(' ')}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  rmSync(outDir, { recursive: true, force: true });
  return { backend, parallel, seconds, exitCode: r.status };
}

function loadAvg(): number[] {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      case: { type: 'string' },
      backend: { type: 'string' },
      quick: { type: 'boolean' },
      steps: { type: 'string' },
      repeat: { type: 'string' },
      profile: { type: 'boolean' },
      disable: { type: 'string' },
      'no-torch': { type: 'boolean' },
      'torch-python': { type: 'string' },
      'install-torch': { type: 'boolean' },
      grid: { type: 'boolean' },
      'grid-only': { type: 'boolean' },
      'grid-backends': { type: 'string' },
      out: { type: 'string' },
      concurrent: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.child) {
    const result = await measure(JSON.parse(values.child) as MeasureRequest);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
    return 0;
  }

  const started = new Date().toISOString();
  const load = [loadAvg()];
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const pick = (list: string | undefined) =>
    list
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const caseFilter = pick(values.case);
  const steps = values.steps ? Number(values.steps) : undefined;
  const repeat = Math.max(1, Number(values.repeat ?? 1));
  const cases: BenchCase[] = (values.quick ? quickCases() : allCases()).filter((c) => !caseFilter || caseFilter.some((f) => c.id.includes(f))).map((c) => (steps ? { ...c, steps } : c));
  const backendFilter = pick(values.backend);
  const targets = allTargets(Math.max(2, cores)).filter((t) => !backendFilter || backendFilter.includes(t.id));

  let pythons: { python?: string; version?: string }[] = [{}];
  if (!values['no-torch'] && !values['grid-only'] && cases.length) {
    if (values['torch-python']) {
      pythons = pick(values['torch-python'])!.map((p) => {
        const found = findTorchPython([p]);
        if (!found.python) log(`--torch-python ${p}: no torch there (${found.tried.join('; ')})`);
        return found;
      });
    } else {
      let found = findTorchPython();
      if (!found.python && values['install-torch'] && installTorch(log)) found = findTorchPython();
      if (!found.python) log(`PyTorch not found (${found.tried.join('; ')}); --install-torch installs python3-torch`);
      pythons = [found];
    }
    for (const p of pythons) if (p.python) log(`PyTorch ${p.version} (${p.python})`);
  }

  const rows: Row[] = [];
  const torchCache = new Map<string, TorchResult | { error: string }>();
  // With several PyTorch builds, each gets its own torch-engine rows; the other backends are measured once.
  pythons.forEach(({ python, version }, pi) => {
    const tag = pythons.length > 1 ? ` @${version ?? 'no torch'}` : '';
    const loaded: { target: BackendTarget; result: MeasureResult }[] = [];
    if (!values['grid-only']) {
      for (const target of targets) {
        if (pi > 0 && target.kind !== 'torch') continue;
        const probe = runChild({ target }, values.disable, target.kind === 'torch' ? python : undefined);
        const note = probe.error ?? (target.kind === 'wasm' && probe.backend.threads !== target.threads ? `runs ${probe.backend.threads} thread(s): ${probe.backend.detail ?? ''}` : undefined);
        log(`backend ${target.id}${tag}: ${note ?? `loaded (${probe.backend.name}, ${probe.backend.threads} thread(s)${probe.backend.simd ? ', SIMD' : ''})`}`);
        if (!note) loaded.push({ target, result: probe });
        if (!note && probe.dispatchMicros !== undefined) rows.push({ target: target.id + tag, dispatchMicros: probe.dispatchMicros });
        else rows.push({ target: target.id + tag, unavailable: note });
      }
    }
    for (const c of cases) {
      for (const { target } of loaded) {
        if (target.kind === 'cpu' && !c.cpu) continue;
        log(`measuring ${c.id} on ${target.id}${tag}...`);
        const r = medianRun(
          repeat,
          () => runChild({ target, benchCase: c, profile: values.profile }, values.disable, target.kind === 'torch' ? python : undefined),
          (m) => m.imagesPerSec,
        );
        let torch: TorchResult | { error: string } | undefined;
        // PyTorch is the reference: on the CPU with the same threads for the CPU targets, on the same
        // GPU for the torch engine on CUDA or MPS (other GPU backends have no PyTorch twin to compare).
        const torchDevice = target.kind === 'torch' ? (r.backend.device ?? 'cpu').replace(/:\d+$/, '') : 'cpu';
        const onCpu = target.kind === 'wasm' || target.kind === 'cpu' || (target.kind === 'torch' && torchDevice === 'cpu');
        const threads = onCpu ? r.backend.threads : target.kind === 'torch' ? 1 : 0;
        if (python && threads > 0) {
          // Right after ours, so both see the same load on a shared machine.
          const key = `${python}@${c.id}@${threads}@${torchDevice}`;
          if (!torchCache.has(key))
            torchCache.set(
              key,
              medianRun(
                repeat,
                () => runTorch(python, c, threads, torchDevice),
                (t) => ('imagesPerSec' in t ? t.imagesPerSec : undefined),
              ),
            );
          torch = torchCache.get(key);
        }
        rows.push({ caseId: c.id, batch: c.batch, target: target.id + tag, result: r, torch });
      }
    }
  });
  const torchVersion =
    pythons
      .map((p) => p.version)
      .filter(Boolean)
      .join(', ') || undefined;

  const grid: GridTiming[] = [];
  if (values.grid || values['grid-only']) {
    const gridBackends = pick(values['grid-backends']) ?? ['wasm', 'torch'];
    for (const backend of gridBackends) for (const parallel of [1, 2]) grid.push(gridWallSeconds(backend, parallel));
  }
  let concurrent: ConcurrentRuns[] = [];
  const concurrentTarget = targets.find((t) => t.id === 'torch-1t') ?? targets.find((t) => t.id === 'wasm-1t');
  if (values.concurrent && cases.length && concurrentTarget) {
    log(`measuring ${cases[0].id} on ${concurrentTarget.id}, 1, 2 and 4 runs at once...`);
    concurrent = await measureConcurrentRuns(__filename, cases[0], concurrentTarget);
  }
  // Fast (seconds) and backend-free: measured on every full bench.
  let dataPipeline: DataPipelineResult | undefined;
  if (!values['grid-only']) {
    log('measuring the data pipeline...');
    dataPipeline = measureDataPipeline();
  }
  load.push(loadAvg());

  const machine = { cores, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.versions.node, loadAvgStartEnd: load };
  process.stdout.write(formatTable(rows, grid, machine, torchVersion));
  if (concurrent.length) process.stdout.write(`${formatConcurrentRuns(concurrent).join('\n')}\n`);
  if (dataPipeline) process.stdout.write(`${formatDataPipeline(dataPipeline).join('\n')}\n`);
  const out = values.out ?? 'bench-results.json';
  writeFileSync(out, `${JSON.stringify({ started, machine, torch: torchVersion, disabled: values.disable ?? null, rows, grid, dataPipeline, concurrent }, null, 2)}\n`);
  log(`results written to ${out}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
