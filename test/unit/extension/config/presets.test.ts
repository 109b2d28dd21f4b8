import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import schema from '../../../../schemas/experiment.schema.json';
import { validateConfig } from '../../../../src/core/config/validate';
import { presetConfig, presetFile, PRESETS } from '../../../../src/extension/config/presets';

const readExample = (file: string) => JSON.parse(readFileSync(path.join('examples', file), 'utf8')) as Record<string, unknown>;

test('every preset is a valid config under the name the user gives it', () => {
  for (const preset of PRESETS) {
    const config = validateConfig(presetConfig(preset.id, 'my-run', readExample), presetFile(preset.id));
    assert.equal(config.name, 'my-run', preset.id);
  }
});

test('the margin-losses preset has every built-in loss the paper did not, against a CE baseline', () => {
  const config = validateConfig(presetConfig('margin-losses-fashion-mnist', 'm', readExample), 'm');
  const paper = ['ce', 'scaled-bn', 'am-softmax', 'pedcc'];
  // 'custom' is the user's own module, not a built-in loss.
  const later = schema.definitions.loss.properties.name.enum.filter((n) => !paper.includes(n) && n !== 'custom');
  assert.deepEqual(
    config.losses.map((l) => l.name).filter((n) => n !== 'ce'),
    later,
  );
  assert.deepEqual(config.baseline, { name: 'ce' });
});
