import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isExperimentDir, listExperiments } from '../../../src/core/results/experimentList';
import { writeExperimentManifest } from '../../../src/core/results/runSink';
import { config } from '../helpers/runFixtures';

test('experiment folders: with experiment.json or run folders; others are skipped', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-ext-'));
  try {
    writeExperimentManifest(path.join(dir, 'b-manifest'), config);
    fs.mkdirSync(path.join(dir, 'a-cli', 'run1'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a-cli', 'run1', 'status.json'), '{}');
    fs.mkdirSync(path.join(dir, 'c-empty'));
    assert.equal(isExperimentDir(path.join(dir, 'c-empty')), false);
    assert.deepEqual(
      listExperiments([dir, path.join(dir, 'missing')], [path.join(dir, 'a-cli')]).map((d) => path.basename(d)),
      ['a-cli', 'b-manifest'],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
