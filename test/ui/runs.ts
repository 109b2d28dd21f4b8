/**
 * What the UI steps read back after a run: the run folders on disk and the run states the
 * results panel shows, and how a person starts a config's runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { closeAllEditors, findWebview, openFile, runFromPalette, waitFor } from './workbench';

export const experimentDir = (workspace: string, name: string) => path.join(workspace, '.losslab', 'runs', name);

export interface RunOnDisk {
  runId: string;
  dir: string;
  status: { state: string; backend?: string; epoch: number; reason?: string };
}

/** The run folders of an experiment that have a status.json, read now. */
export function runsOnDisk(workspace: string, name: string): RunOnDisk[] {
  const dir = experimentDir(workspace, name);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((d) => fs.existsSync(path.join(dir, d, 'status.json')))
    .map((runId) => ({ runId, dir: path.join(dir, runId), status: JSON.parse(fs.readFileSync(path.join(dir, runId, 'status.json'), 'utf8')) as RunOnDisk['status'] }));
}

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/**
 * Opens the config in the editor (alone: the panel of another experiment would be the one
 * Run Experiment reruns) and runs "Loss Lab: Run Experiment" from the palette.
 */
/** What a person does to try a written config quickly: same losses and backend, fewer images, one epoch. */
export function shrinkConfig(file: string): void {
  const config = readJson<Record<string, unknown>>(file);
  Object.assign(config, {
    dataset: { name: 'fashion-mnist', trainSubset: 512, testSubset: 256 },
    models: [{ name: 'simple-cnn', width: 0.25 }],
    training: { epochs: 1, batchSize: 128, lr: 0.05, milestones: [] },
  });
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
}

export async function runConfigFromPalette(page: Page, config: string): Promise<void> {
  await closeAllEditors(page);
  await openFile(page, config);
  await runFromPalette(page, 'Loss Lab: Run Experiment');
}

/** The results panel once it shows `count` runs, none failed or stopped, all done. */
export async function waitForRunsDone(page: Page, count: number, timeoutMs: number): Promise<FrameLocator> {
  const frame = await findWebview(page, '#run-status', 60_000);
  // waitFor treats a throw as "not yet": a failed run ends the wait as a value, then fails the step.
  const states = await waitFor(
    `${count} runs marked done in #run-status`,
    async () => {
      const shown = await frame.locator('#run-status li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.state));
      const ended = shown.some((s) => s === 'failed' || s === 'stopped');
      return ended || (shown.length === count && shown.every((s) => s === 'done')) ? shown : undefined;
    },
    timeoutMs,
    1000,
  );
  if (!states.every((s) => s === 'done')) throw new Error(`runs ended ${states.join(', ')}`);
  return frame;
}
