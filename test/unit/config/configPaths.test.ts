// Paths in a config are relative to the config file, through one resolver that the CLI
// (losslab run) and the extension (Run Experiment) both load configs with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCommand } from '../../../src/cli/runCommand';
import { loadConfigWithPaths, resolveConfigPath } from '../../../src/core/config/configPaths';
import { readExperiment } from '../../../src/core/results/runReader';
import { DEFAULT_SETTINGS, resolveGrid } from '../../../src/extension/runOptions';

/** A config in <tmp>/configs/ naming a dataset folder beside it, and perhaps an output folder. */
function writeConfig(outputDir?: string): { root: string; file: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-paths-'));
  const file = path.join(root, 'configs', 'p.losslab.json');
  fs.mkdirSync(path.dirname(file));
  // The folders exist: a path the config writes that does not is a config problem (pathProblems.test.ts).
  fs.mkdirSync(path.join(root, 'configs', 'images', 'train'), { recursive: true });
  fs.mkdirSync(path.join(root, 'shared', 'test'), { recursive: true });
  const config = {
    name: 'paths',
    dataset: { name: 'image-folder', path: 'images/train', testPath: '../shared/test' },
    models: [{ name: 'simple-cnn' }],
    losses: [{ name: 'ce' }],
    seeds: [1],
    training: { epochs: 1, milestones: [1] },
    ...(outputDir ? { outputDir } : {}),
  };
  fs.writeFileSync(file, JSON.stringify(config));
  return { root, file };
}

test('one path: relative to the config file, ~ is home, absolute stays', () => {
  assert.equal(resolveConfigPath('data/x', '/w/cfg/a.losslab.json'), path.resolve('/w/cfg/data/x'));
  assert.equal(resolveConfigPath('../x', '/w/cfg/a.losslab.json'), path.resolve('/w/x'));
  assert.equal(resolveConfigPath('/abs/x', '/w/cfg/a.losslab.json'), path.resolve('/abs/x'));
  assert.equal(resolveConfigPath('~/datasets', '/w/cfg/a.losslab.json'), path.join(os.homedir(), 'datasets'));
});

test('the CLI (losslab run) resolves dataset and output folders against the config file, not its working folder', async () => {
  const { root, file } = writeConfig('results');
  try {
    const code = await runCommand({ configPath: file, resume: 'resume', workerPath: path.resolve('test/fixtures/workers/crashingWorker.js') }, () => undefined);
    assert.equal(code, 1, 'the stand-in worker crashes: only the paths matter here');
    const experiment = readExperiment(path.join(root, 'configs', 'results', 'paths'));
    assert.equal(experiment.manifest?.config.dataset.path, path.join(root, 'configs', 'images', 'train'));
    assert.equal(experiment.manifest?.config.dataset.testPath, path.join(root, 'shared', 'test'));
    assert.equal(experiment.runs.length, 1, 'the run folder is beside the config too');
    assert.ok(!fs.existsSync(path.resolve('results')), 'nothing under the working folder');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the extension (Run Experiment) resolves them the same way; without outputDir the setting decides', async () => {
  const written = writeConfig('results');
  const unwritten = writeConfig();
  try {
    const a = await loadConfigWithPaths(written.file);
    const grid = resolveGrid(a.config, '/workspace', DEFAULT_SETTINGS, {}, a.outputDir);
    assert.equal(grid.experimentDir, path.join(written.root, 'configs', 'results', 'paths'));
    assert.equal(grid.runs[0].dataset.path, path.join(written.root, 'configs', 'images', 'train'));
    assert.equal(grid.runs[0].dataset.testPath, path.join(written.root, 'shared', 'test'));

    const b = await loadConfigWithPaths(unwritten.file);
    assert.equal(b.outputDir, undefined);
    const defaultGrid = resolveGrid(b.config, '/workspace', DEFAULT_SETTINGS, {}, b.outputDir);
    assert.equal(defaultGrid.experimentDir, path.join('/workspace', DEFAULT_SETTINGS.resultsFolder, 'paths'));
    assert.equal(defaultGrid.runs[0].dataset.path, path.join(unwritten.root, 'configs', 'images', 'train'));
  } finally {
    fs.rmSync(written.root, { recursive: true, force: true });
    fs.rmSync(unwritten.root, { recursive: true, force: true });
  }
});
