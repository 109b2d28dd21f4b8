/**
 * A small finished experiment on disk, written with the real RunWriter: Simple CNN ×
 * {CE, Scaled-BN m=0.9} × seeds {1, 2}, 3 epochs each, with logits, weight norms and
 * summaries whose backend, versions, machine and wall time differ per run.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { expandGrid } from '../../../src/core/config/grid';
import type { ExperimentConfig } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';
import { histogram } from '../../../src/core/results/histogram';
import { RunWriter } from '../../../src/core/results/runStore';
import { EXPERIMENT_FILE, type ExperimentManifest } from '../../../src/core/results/types';

export const config = validateConfig({
  name: 'report-demo',
  description: 'Report fixture <b>not bold</b> & friends',
  dataset: { name: 'fashion-mnist', trainSubset: 600, testSubset: 200 },
  models: [{ name: 'simple-cnn', width: 0.5 }],
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }],
  seeds: [1, 2],
  training: { epochs: 3, lr: 0.05, milestones: [2] },
});

export const specs = expandGrid(config);

/** Final test accuracies (fractions) by run, in grid order: CE 80/82, Scaled-BN 85/88. */
const FINAL_ACC = [0.8, 0.82, 0.85, 0.88];
export const BACKENDS = ['wasm', 'cpu', 'tensorflow', 'wasm'];
export const WALL_SECONDS = [12.5, 75.25, 3725, 61];
export const HISTOGRAM_BINS = 20;
export const CLASSES = 10;

export function runVersions(i: number): Record<string, string> {
  return { node: `20.${i}.0`, tfjs: '4.22.0', lossLab: `0.1.${i}` };
}

/** Writes the experiment under a new temporary folder; returns its path. */
export function writeExperiment(options: { unfinishedLast?: boolean; config?: ExperimentConfig } = {}): string {
  const cfg = options.config ?? config;
  const runs = expandGrid(cfg);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-report-'));
  const dir = path.join(root, cfg.name);
  fs.mkdirSync(dir);
  const manifest: ExperimentManifest = { config: cfg, configPath: '/somewhere/report-demo.losslab.json', runIds: runs.map((s) => s.runId), writtenAt: '2026-01-02T03:04:05.000Z' };
  fs.writeFileSync(path.join(dir, EXPERIMENT_FILE), JSON.stringify(manifest));
  runs.forEach((spec, n) => {
    const i = n % FINAL_ACC.length;
    const writer = new RunWriter(path.join(dir, spec.runId));
    writer.open(spec);
    writer.setStatus({ state: 'running', backend: BACKENDS[i] });
    const final = FINAL_ACC[i];
    const unfinished = options.unfinishedLast && n === runs.length - 1;
    const epochs = unfinished ? 2 : 3;
    for (let e = 1; e <= epochs; e++) {
      const acc = final - (3 - e) * 0.1;
      writer.appendEpoch({ epoch: e, trainLoss: 2 / e, trainAcc: acc + 0.02, testLoss: 2.2 / e, testAcc: acc, lr: 0.05, seconds: WALL_SECONDS[i] / 3, imagesPerSec: 500 });
    }
    if (unfinished) {
      writer.setStatus({ state: 'stopped', epoch: 2, reason: 'stopped by the user' });
      return;
    }
    const logits = Array.from({ length: 500 }, (_, k) => Math.sin(k * 0.7 + i) * (3 + i));
    const scaledBn = spec.loss.name === 'scaled-bn';
    writer.writeLogits({
      before: histogram(logits, HISTOGRAM_BINS),
      ...(scaledBn
        ? {
            after: histogram(
              logits.map((v) => v * 0.3),
              HISTOGRAM_BINS,
            ),
          }
        : {}),
    });
    writer.writeWeightNorms({ norms: Array.from({ length: CLASSES }, (_, c) => 1 + 0.1 * c + (scaledBn ? 0 : 0.5)) });
    writer.writeSummary({
      runId: spec.runId,
      model: spec.model.name,
      loss: spec.lossLabel,
      seed: spec.seed,
      finalTestAcc: final,
      bestTestAcc: final,
      finalTrainAcc: final + 0.02,
      epochs: 3,
      backend: BACKENDS[i],
      wallSeconds: WALL_SECONDS[i],
      trainableParams: 12345 + i,
      versions: runVersions(i),
      machine: { platform: 'linux', arch: 'x64', cpus: 2 + i, cpuModel: `Test CPU ${i}`, totalMemGiB: 16 },
    });
    writer.setStatus({ state: 'done', epoch: 3 });
  });
  return dir;
}

const bundles = new Map<string, Promise<string>>();

/** A webview script bundled the way esbuild.mjs does it: report.ts by default, or reportCapture.ts. */
export function reportScript(entry: 'report' | 'reportCapture' = 'report'): Promise<string> {
  let bundled = bundles.get(entry);
  if (!bundled) {
    bundled = build({
      entryPoints: [path.join(__dirname, '..', '..', '..', 'webview', `${entry}.ts`)],
      bundle: true,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      minify: true,
      write: false,
      logLevel: 'silent',
    }).then((r) => r.outputFiles[0].text);
    bundles.set(entry, bundled);
  }
  return bundled;
}

export const removeExperiment = (dir: string) => fs.rmSync(path.dirname(dir), { recursive: true, force: true });

/** What a capture of the report's figures posted: no error, `done` last, and every figure the Chromium report has. */
export function assertEveryFigurePosted(messages: { type: string }[], saved: { file: string }[], reference: { file: string }[]): void {
  assert.deepEqual(
    messages.filter((m) => m.type === 'error'),
    [],
  );
  assert.equal(messages.at(-1)?.type, 'done');
  assert.deepEqual(
    saved.map((f) => f.file),
    reference.map((f) => f.file),
  );
}
