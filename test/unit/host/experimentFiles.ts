/**
 * Writes experiment folders as a grid leaves them (experiment.json, and per run config.json,
 * status.json, metrics.jsonl, summary.json) with plain fs calls, so the readers under test
 * read bytes the test wrote, not what the project's own writer produced.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandGrid } from '../../../src/core/config/grid';
import type { RunSpec } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';

export interface RunFiles {
  /** Test accuracy of each finished epoch. */
  accs: number[];
  state: 'done' | 'running' | 'stopped' | 'failed';
  seconds?: number;
  backend?: string;
  wallSeconds?: number;
}

export function tempRoot(t: { after: (fn: () => void) => void }): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-runs-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

/** A config through the real validator, so defaults are filled in as in a real experiment.json. */
export function experimentConfig(name: string, raw: Record<string, unknown>) {
  return validateConfig({ name, dataset: { name: 'fashion-mnist' }, models: [{ name: 'simple-cnn' }], seeds: [1], training: { epochs: 3, milestones: [2] }, ...raw });
}

const line = (v: unknown) => `${JSON.stringify(v)}\n`;

/** Writes `<root>/<name>/` with the given runs (keyed by run id; grid runs not listed get no folder). Returns the folder and the grid's specs. */
export function writeExperiment(root: string, config: ReturnType<typeof validateConfig>, runs: Record<string, RunFiles>): { dir: string; specs: RunSpec[] } {
  const dir = path.join(root, config.name);
  const specs = expandGrid(config);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'experiment.json'), JSON.stringify({ config, runIds: specs.map((s) => s.runId), writtenAt: '2026-12-02T00:00:00Z' }));
  for (const [runId, files] of Object.entries(runs)) {
    const spec = specs.find((s) => s.runId === runId);
    if (!spec) throw new Error(`${runId} is not a run of ${config.name}: ${specs.map((s) => s.runId).join(', ')}`);
    const runDir = path.join(dir, runId);
    fs.mkdirSync(runDir);
    fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(spec));
    const epochs = files.accs.map((acc, i) => ({ epoch: i + 1, trainLoss: 1 / (i + 1), trainAcc: acc, testLoss: 1, testAcc: acc, lr: 0.1, seconds: files.seconds ?? 2, imagesPerSec: 100 }));
    fs.writeFileSync(path.join(runDir, 'metrics.jsonl'), epochs.map(line).join(''));
    fs.writeFileSync(
      path.join(runDir, 'status.json'),
      JSON.stringify({ state: files.state, epoch: files.accs.length, epochs: spec.training.epochs, updatedAt: '2026-12-02T00:00:00Z', ...(files.backend ? { backend: files.backend } : {}) }),
    );
    if (files.state === 'done') {
      const last = files.accs.at(-1) ?? 0;
      fs.writeFileSync(
        path.join(runDir, 'summary.json'),
        JSON.stringify({
          runId,
          model: spec.model.name,
          loss: spec.lossLabel,
          seed: spec.seed,
          finalTestAcc: last,
          bestTestAcc: Math.max(...files.accs),
          finalTrainAcc: last,
          epochs: files.accs.length,
          backend: files.backend ?? 'wasm',
          wallSeconds: files.wallSeconds ?? 10,
          versions: {},
          machine: { platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'test', totalMemGiB: 4 },
        }),
      );
    }
  }
  return { dir, specs };
}
