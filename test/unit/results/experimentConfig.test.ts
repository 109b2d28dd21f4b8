import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateConfig } from '../../../src/core/config/validate';
import { writeExperimentManifest } from '../../../src/core/results/runSink';
import { configOfExperiment } from '../../../src/core/results/experimentConfig';

test('the results panel’s experiment runs from the config its experiment.json names, while that file exists', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-experiment-config-'));
  try {
    const file = path.join(root, 'demo.losslab.json');
    const config = validateConfig({ name: 'demo', dataset: { name: 'fashion-mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }] });
    fs.writeFileSync(file, JSON.stringify(config));
    const dir = path.join(root, 'runs', 'demo');
    writeExperimentManifest(dir, config, file);
    assert.equal(configOfExperiment(dir), file);
    fs.rmSync(file);
    assert.equal(configOfExperiment(dir), undefined, 'a config deleted since: ask instead');
    assert.equal(configOfExperiment(path.join(root, 'nowhere')), undefined);
    fs.writeFileSync(path.join(dir, 'experiment.json'), '{ torn');
    assert.equal(configOfExperiment(dir), undefined);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
