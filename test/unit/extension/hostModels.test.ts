import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateConfig } from '../../../src/core/config/validate';
import { writeExperimentManifest } from '../../../src/core/results/runSink';
import { isExperimentDir, listExperiments } from '../../../src/extension/experimentList';
import { PRESETS, presetConfig } from '../../../src/extension/presets';
import { contentSecurityPolicy, resultsHtml } from '../../../src/extension/resultsHtml';
import { DEFAULT_SETTINGS, parseRunRequest, resolveGrid } from '../../../src/extension/runOptions';
import { defaultSelection, noDiagnosticsText, pickStyles } from '../../../webview/selection';
import { withAlpha } from '../../../webview/theme';
import { config } from './fixtures';

const root = path.resolve(__dirname, '../../..');
const readExample = (file: string) => JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8')) as Record<string, unknown>;

test('settings precedence: caller > setting (when set) > config; results under the workspace', () => {
  const ws = '/ws';
  const base = resolveGrid({ ...config, backend: 'wasm', parallelRuns: 2 }, ws, DEFAULT_SETTINGS);
  assert.equal(base.config.backend, 'wasm');
  assert.equal(base.parallel, 2);
  assert.equal(base.experimentDir, path.join('/ws/.losslab/runs', 'demo'));
  assert.ok(base.runs.every((r) => r.backend === 'wasm'));

  const set = resolveGrid({ ...config, backend: 'wasm', parallelRuns: 2 }, ws, { defaultBackend: 'cpu', parallelRuns: 3, resultsFolder: 'out' });
  assert.equal(set.config.backend, 'cpu');
  assert.equal(set.parallel, 3);
  assert.equal(set.experimentDir, path.join('/ws/out', 'demo'));

  const asked = resolveGrid(config, ws, { defaultBackend: 'cpu', parallelRuns: 3, resultsFolder: 'out' }, { backend: 'tensorflow', parallel: 1 }, '/abs/results');
  assert.equal(asked.config.backend, 'tensorflow');
  assert.equal(asked.parallel, 1);
  assert.equal(asked.experimentDir, path.join('/abs/results', 'demo'), "the config's outputDir wins over the setting");
});

test('every preset is a valid config with the chosen name and no relative $schema', () => {
  for (const preset of PRESETS) {
    const json = presetConfig(preset.id, `my-${preset.id}`, readExample);
    assert.equal(json.$schema, undefined);
    assert.equal(Object.keys(json)[0], 'name');
    const cfg = validateConfig(json);
    assert.equal(cfg.name, `my-${preset.id}`);
  }
  assert.equal((presetConfig('paper-tiny-imagenet', 't', readExample).dataset as { name: string }).name, 'tiny-imagenet');
  assert.equal((presetConfig('paper-facescrub', 'f', readExample).dataset as { name: string }).name, 'facescrub');
  assert.deepEqual(presetConfig('paper-facescrub', 'f', readExample).losses, readExample('paper-cifar100.losslab.json').losses);
});

test('the results page: strict CSP with a nonce, nothing from the network, the ids tests rely on', () => {
  const res = { cspSource: 'https://x.vscode-cdn.net', nonce: 'abc123', scriptUri: 'https://x.vscode-cdn.net/dist/webview.js', styleUri: 'https://x.vscode-cdn.net/media/results.css' };
  const csp = contentSecurityPolicy(res);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
  const html = resultsHtml(res);
  assert.match(html, /<script nonce="abc123" src="https:\/\/x\.vscode-cdn\.net\/dist\/webview\.js">/);
  for (const id of ['chart-test-acc', 'chart-train-loss', 'chart-test-loss', 'chart-train-acc', 'chart-logits', 'chart-weight-norms']) {
    assert.match(html, new RegExp(`<canvas id="${id}" data-points="0"`));
  }
  for (const id of ['comparison-table', 'export-csv', 'export-md', 'export-latex', 'copy-md', 'run-status', 'diag-run-a', 'diag-run-b']) assert.match(html, new RegExp(`id="${id}"`));
  assert.doesNotMatch(html.replace(/https:\/\/x\.vscode-cdn\.net/g, ''), /https?:\/\//, 'no other origin');
  // getElementById finds the first of twins: the curves' run filter once drove the run table's.
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
    'every id once',
  );
  for (const id of ['run-table-filter', 'run-list-filter']) assert.ok(ids.includes(id), id);
});

test('experiment folders: with experiment.json or run folders; others are skipped', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-ext-'));
  try {
    writeExperimentManifest(path.join(dir, 'b-manifest'), config);
    fs.mkdirSync(path.join(dir, 'a-cli', 'run1'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a-cli', 'run1', 'status.json'), '{}');
    fs.mkdirSync(path.join(dir, 'c-empty'));
    assert.equal(isExperimentDir(path.join(dir, 'c-empty')), false);
    assert.deepEqual(listExperiments([dir, path.join(dir, 'missing')], [path.join(dir, 'a-cli')]).map((d) => path.basename(d)), ['a-cli', 'b-manifest']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('default comparison: CE next to a scaled-BN run, among finished runs only', () => {
  const run = (runId: string, [lossName, lossLabel]: [string, string], hasDiagnostics = true) => ({ runId, lossName, lossLabel, hasDiagnostics });
  const ce: [string, string] = ['ce', 'CE'];
  const sbn: [string, string] = ['scaled-bn', 'Scaled-BN m=0.9'];
  const am: [string, string] = ['am-softmax', 'AM-Softmax s=7.5 m=0.35'];
  assert.deepEqual(defaultSelection([run('a', am), run('b', sbn), run('c', ce)]), ['c', 'b']);
  assert.deepEqual(defaultSelection([run('a', ce), run('b', ce), run('c', sbn, false)]), ['a']);
  assert.deepEqual(defaultSelection([run('a', ce), run('b', am)]), ['a', 'b']);
  assert.deepEqual(defaultSelection([run('a', ['pedcc', 'PEDCC s=7.5 m=0.35'])]), ['a']);
  assert.deepEqual(defaultSelection([run('a', ce, false)]), []);
});

test('band colours: theme colours get an alpha whatever their notation', () => {
  assert.equal(withAlpha('#3794ff', 0.2), 'rgba(55, 148, 255, 0.2)');
  assert.equal(withAlpha('#fff', 0.5), 'rgba(255, 255, 255, 0.5)');
  assert.equal(withAlpha('#3794ffcc', 0.2), 'rgba(55, 148, 255, 0.2)');
  assert.equal(withAlpha('rgb(1, 2, 3)', 0.1), 'rgba(1, 2, 3, 0.1)');
  assert.equal(withAlpha('rgba(1,2,3,0.9)', 0.1), 'rgba(1, 2, 3, 0.1)');
  assert.equal(withAlpha('red', 0.1), 'red');
});

test('run options from callers: known fields only, so menu arguments are ignored', () => {
  assert.deepEqual(parseRunRequest({ restart: true, backend: 'cpu', parallel: 2, openPanel: false, extra: 1 }), { restart: true, backend: 'cpu', parallel: 2, openPanel: false });
  assert.deepEqual(parseRunRequest({ groupId: 3 }), {});
  assert.deepEqual(parseRunRequest([{ restart: true }]), {});
  assert.deepEqual(parseRunRequest({ backend: 'tpu', parallel: 0 }), {});
  assert.deepEqual(parseRunRequest(undefined), {});
});

test('empty logit and weight-norm boxes say when they fill, or what to do when no run will finish', () => {
  assert.match(noDiagnosticsText(['running', 'queued', 'done']), /when it finishes \(2 runs queued or training\)/);
  const stuck = noDiagnosticsText(['stopped', 'failed', 'not-started']);
  assert.match(stuck, /No run finished/);
  assert.match(stuck, /Resume a stopped or failed run/);
  assert.match(noDiagnosticsText([]), /Run the experiment/);
});

test('a picked run has its loss setting’s colour, as in the curves; a second seed of the same loss is dashed', () => {
  const colours = new Map([
    ['CE', 0],
    ['Scaled-BN m=0.9', 1],
  ]);
  assert.deepEqual(pickStyles([{ lossLabel: 'Scaled-BN m=0.9' }], colours), [{ colourIndex: 1, dashed: false }], 'Open Run on a scaled-BN run: not the first palette colour');
  assert.deepEqual(pickStyles([{ lossLabel: 'CE' }, { lossLabel: 'CE' }], colours), [
    { colourIndex: 0, dashed: false },
    { colourIndex: 0, dashed: true },
  ]);
});
