import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateConfig } from '../../../src/core/config/validate';
import { DEFAULT_RESULTS_ROOT } from '../../../src/core/results/paths';
import { PRESETS, presetConfig } from '../../../src/extension/config/presets';
import { contentSecurityPolicy, resultsHtml } from '../../../src/extension/results/resultsHtml';
import { DEFAULT_SETTINGS, parseRunRequest, resolveGrid } from '../../../src/extension/runOptions';
import { config } from '../helpers/runFixtures';

const root = path.resolve(__dirname, '../../..');
const readExample = (file: string) => JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8')) as Record<string, unknown>;

test('settings precedence: caller > setting (when set) > config; results under the workspace', () => {
  const ws = '/ws';
  const base = resolveGrid({ ...config, backend: 'wasm', parallelRuns: 2 }, ws, DEFAULT_SETTINGS);
  assert.equal(base.config.backend, 'wasm');
  assert.equal(base.parallel, 2);
  assert.equal(base.experimentDir, path.join('/ws', DEFAULT_RESULTS_ROOT, 'demo'));
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
  // The curves open above the fold: before the run table and every other section.
  const sections = [...html.matchAll(/<section[^>]*aria-labelledby="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(sections[0], 'curves-heading', sections.join(', '));
});

test('run options from callers: known fields only, so menu arguments are ignored', () => {
  assert.deepEqual(parseRunRequest({ restart: true, backend: 'cpu', parallel: 2, openPanel: false, extra: 1 }), { restart: true, backend: 'cpu', parallel: 2, openPanel: false });
  assert.deepEqual(parseRunRequest({ groupId: 3 }), {});
  assert.deepEqual(parseRunRequest([{ restart: true }]), {});
  assert.deepEqual(parseRunRequest({ backend: 'tpu', parallel: 0 }), {});
  assert.deepEqual(parseRunRequest(undefined), {});
});
