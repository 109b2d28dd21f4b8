import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { experimentConfig, writeExperiment } from '../unit/host/experimentFiles';
import type { LossLabApi, ResultsPanelState } from './contract';
import { activateExtension, Disposer, spyOnMessages, waitUntil, workspaceRoot } from './util';

/**
 * Compare Experiments and Compare Runs on two experiment folders the test writes itself (run files as
 * a grid leaves them), so nothing here waits for training.
 */
export function compareTests(): void {
  describe('Compare Experiments and Compare Runs', function () {
    const disposer = new Disposer();
    let dirA: string;
    let dirB: string;
    let runsA: string[];
    let runsB: string[];
    let api: LossLabApi;
    const panelState = () => api.resultsPanelState() as ResultsPanelState;

    before(async function () {
      api = await activateExtension();
      const root = path.join(workspaceRoot(), '.losslab', 'runs');
      const a = experimentConfig('e2e-compare-a', { losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }], seeds: [1, 2] });
      const b = experimentConfig('e2e-compare-b', { losses: [{ name: 'ce' }], training: { epochs: 3, milestones: [2], lr: [0.05, 0.1] } });
      runsA = writeExperiment(root, a, {}).specs.map((s) => s.runId);
      runsB = writeExperiment(root, b, {}).specs.map((s) => s.runId);
      dirA = writeExperiment(root, a, Object.fromEntries(runsA.map((id, i) => [id, { accs: [0.5, 0.6, 0.7 + i / 100], state: 'done' as const }]))).dir;
      dirB = writeExperiment(root, b, { [runsB[0]]: { accs: [0.6, 0.65, 0.68], state: 'done' }, [runsB[1]]: { accs: [0.4], state: 'running' } }).dir;
    });

    afterEach(() => disposer.dispose());

    after(() => {
      for (const dir of [dirA, dirB]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('should open one panel with the runs of both experiments and one table, rows by experiment and setting', async () => {
      const shown = await vscode.commands.executeCommand<string[]>('lossLab.compareExperiments', [dirA, dirB]);
      assert.deepEqual(shown, [dirA, dirB]);
      const state = await waitUntil('a ready panel showing both experiments', () => {
        const s = panelState();
        return s.open && s.ready && s.experimentDirs?.length === 2 && s.tableRows === 4 ? s : undefined;
      });
      assert.deepEqual(state.experimentDirs, [dirA, dirB]);
      assert.deepEqual(
        state.runs.map((r) => r.runId),
        [...runsA.map((id) => `e2e-compare-a/${id}`), ...runsB.map((id) => `e2e-compare-b/${id}`)],
        'every run of both, ids unique by experiment name',
      );
    });

    it('should show a change in either experiment while the panel is open', async () => {
      const runDir = path.join(dirB, runsB[1]);
      fs.appendFileSync(path.join(runDir, 'metrics.jsonl'), `${JSON.stringify({ epoch: 2, trainLoss: 0.5, trainAcc: 0.5, testLoss: 1, testAcc: 0.5, lr: 0.1, seconds: 2, imagesPerSec: 100 })}\n`);
      fs.writeFileSync(path.join(runDir, 'status.json'), JSON.stringify({ state: 'running', epoch: 2, epochs: 3, updatedAt: new Date().toISOString() }));
      const id = `e2e-compare-b/${runsB[1]}`;
      await waitUntil(`${id} at its third epoch in the panel`, () => (panelState().runs.find((r) => r.runId === id)?.stateText === 'running epoch 3/3' ? true : undefined));
    });

    it('should compare runs picked in the tree from two experiments in one panel', async () => {
      const node = (experimentDir: string, runId: string) => ({ kind: 'run', experimentDir, run: { runId }, label: runId });
      const first = node(dirA, runsA[0]);
      const compared = await vscode.commands.executeCommand<string[]>('lossLab.compareRuns', first, [first, node(dirB, runsB[0])]);
      assert.deepEqual(compared, [`e2e-compare-a/${runsA[0]}`, `e2e-compare-b/${runsB[0]}`]);
      const state = panelState();
      assert.deepEqual(state.experimentDirs, [dirA, dirB]);
      assert.deepEqual(state.focus, compared);
    });

    it('should compare 2 to 4 runs of one experiment and refuse five with one message', async () => {
      const compared = await vscode.commands.executeCommand<string[]>('lossLab.compareRuns', dirA, runsA.slice(0, 3));
      assert.deepEqual(compared, runsA.slice(0, 3));
      // Its own panel (one per set of experiments); VS Code reports the newly revealed panel active a moment later.
      const state = await waitUntil('the panel of experiment A alone in front', () => {
        const s = panelState();
        return s.experimentDirs?.length === 1 ? s : undefined;
      });
      assert.deepEqual(state.experimentDirs, [dirA], 'runs of one experiment: that experiment alone');
      assert.deepEqual(state.focus, runsA.slice(0, 3));
      const seen = spyOnMessages(disposer);
      const refused = await vscode.commands.executeCommand('lossLab.compareRuns', dirA, [...runsA, runsA[0]]);
      assert.equal(refused, undefined);
      if (seen)
        assert.deepEqual(
          seen.map((m) => m.text),
          ['Loss Lab: Compare Runs compares 2 to 4 runs; 5 were picked.'],
        );
      assert.deepEqual(panelState().focus, runsA.slice(0, 3), 'the comparison shown stays');
    });
  });
}
