import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ExportedReport, ResultsPanelState, RunResult } from './contract';
import { activateExtension, readJson, readJsonLines, runExperiment, waitUntil, workspaceRoot } from './util';

const QUICK_RUNS = ['simple-cnn-w0.25__ce__seed1', 'simple-cnn-w0.25__scaled-bn-m0.9__seed1'];

export function experimentTests(): void {
  describe('Run Experiment on the quick Fashion-MNIST config', function () {
    let result: RunResult;

    before(async function () {
      result = await runExperiment('quick.losslab.json');
    });

    it('should finish every run of the grid', () => {
      assert.deepEqual(Object.keys(result.outcomes).sort(), QUICK_RUNS);
      for (const [runId, outcome] of Object.entries(result.outcomes)) assert.equal(outcome.state, 'done', `${runId}: ${outcome.message ?? ''}`);
    });

    it('should put results under the lossLab.resultsFolder of the workspace', () => {
      assert.equal(path.resolve(result.experimentDir), path.join(workspaceRoot(), '.losslab', 'runs', 'e2e-quick'));
    });

    it('should write metrics, summary and a done status for each run', () => {
      for (const runId of QUICK_RUNS) {
        const dir = path.join(result.experimentDir, runId);
        const metrics = readJsonLines(path.join(dir, 'metrics.jsonl'));
        assert.equal(metrics.length, 1, `${runId}: one epoch, one metrics line`);
        assert.equal(metrics[0].epoch, 1);
        const summary = readJson(path.join(dir, 'summary.json'));
        assert.equal(summary.runId, runId);
        assert.ok(typeof summary.finalTestAcc === 'number' && summary.finalTestAcc >= 0 && summary.finalTestAcc <= 1, `finalTestAcc ${String(summary.finalTestAcc)}`);
        assert.equal(readJson(path.join(dir, 'status.json')).state, 'done');
        // 512 images in batches of 128 and no logEvery: a step point every step (about 20 per epoch at most).
        const steps = readJsonLines(path.join(dir, 'steps.jsonl'));
        assert.deepEqual(
          steps.map((p) => [p.epoch, p.step, p.stepsPerEpoch]),
          [1, 2, 3, 4].map((step) => [1, step, 4]),
          `${runId}: steps.jsonl`,
        );
      }
    });

    it('should show the experiment in the results panel', async () => {
      const api = await activateExtension();
      await vscode.commands.executeCommand('lossLab.openResults', result.experimentDir);
      const state = await waitUntil('a ready results panel with both losses in its table', () => {
        const s = api.resultsPanelState() as ResultsPanelState;
        return s.open && s.ready && s.tableRows === 2 ? s : undefined;
      });
      assert.equal(path.resolve(state.experimentDir ?? ''), path.resolve(result.experimentDir));
      assert.deepEqual(state.runs.map((r) => r.runId).sort(), QUICK_RUNS);
      assert.equal(state.stepsPosted, 2 * 4, 'every step point of both runs reached the panel');
    });

    it('should run the experiment the focused results panel shows, without asking which config', async () => {
      const api = await activateExtension();
      const focusCommands = ['workbench.action.focusFirstEditorGroup', 'workbench.action.focusSecondEditorGroup', 'workbench.action.focusThirdEditorGroup'];
      for (const command of focusCommands) {
        await vscode.commands.executeCommand(command);
        if ((api.resultsPanelState() as ResultsPanelState).active) break;
      }
      assert.ok((api.resultsPanelState() as ResultsPanelState).active, 'the results panel could not be focused');
      // Asking (a quick pick) would never resolve here: a time limit turns that into a failure.
      let timer: NodeJS.Timeout | undefined;
      const asked = new Promise<'asked'>((resolve) => (timer = setTimeout(() => resolve('asked'), 60_000)));
      const again = await Promise.race([vscode.commands.executeCommand<RunResult | undefined>('lossLab.runExperiment'), asked]).finally(() => clearTimeout(timer));
      if (again === 'asked') await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.ok(again && again !== 'asked', 'Run Experiment asked which config to run');
      assert.equal(path.resolve(again.experimentDir), path.resolve(result.experimentDir));
      assert.deepEqual(Object.keys(again.outcomes).sort(), QUICK_RUNS, 'the runs it kept as done');
    });

    for (const [format, marker] of [
      ['csv', ','],
      ['md', '|'],
      ['latex', '\\begin{tabular}'],
    ] as const) {
      it(`should export the table as ${format} without a dialog when given a file`, async () => {
        const out = path.join(workspaceRoot(), `table.${format}`);
        const written = await vscode.commands.executeCommand<string>('lossLab.exportTable', result.experimentDir, format, out);
        assert.equal(path.resolve(written), out);
        const text = fs.readFileSync(out, 'utf8');
        assert.ok(text.includes(marker), `${format} export has no ${marker}:\n${text}`);
        for (const loss of ['CE', 'Scaled-BN m=0.9']) assert.ok(text.includes(loss), `${format} export has no row for ${loss}:\n${text}`);
      });
    }

    it('should export the report with its figures drawn in a webview (the packaged extension has no Chromium to drive)', async () => {
      const out = path.join(workspaceRoot(), 'report-webview');
      const report = await vscode.commands.executeCommand<ExportedReport>('lossLab.exportReport', result.experimentDir, out, 'webview');
      assert.ok(report, 'Export Report returned nothing (see the Loss Lab output channel)');
      assert.equal(report.pngError, undefined, report.pngError);
      assert.ok(fs.readFileSync(path.join(out, 'report.html'), 'utf8').includes('e2e-quick'));
      const files = report.pngs.map((p) => p.file).sort();
      assert.ok(files.includes('table.png') && files.some((f) => f.startsWith('curves-')), files.join(', '));
      for (const png of report.pngs) {
        const bytes = fs.readFileSync(path.join(out, png.file));
        assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${png.file} is a PNG`);
        // Width and height read from the IHDR here: at 2× a chart figure is over 1,000 px wide.
        const width = bytes.readUInt32BE(16);
        assert.equal(width, png.width, png.file);
        if (png.file.startsWith('curves-')) assert.ok(width > 1000, `${png.file}: ${width} px wide`);
      }
    });

    it('should open the report in a webview panel (Open Report), writing it first when missing', async () => {
      const reportDir = path.join(result.experimentDir, 'report');
      fs.rmSync(reportDir, { recursive: true, force: true });
      const htmlPath = await vscode.commands.executeCommand<string>('lossLab.openReport', result.experimentDir);
      assert.equal(htmlPath && path.resolve(htmlPath), path.join(reportDir, 'report.html'));
      assert.ok(fs.readFileSync(htmlPath, 'utf8').includes('e2e-quick'));
      const tab = await waitUntil('a report tab', () =>
        vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('lossLab.report')),
      );
      assert.equal(tab.label, 'Report: e2e-quick');
    });
  });
}
