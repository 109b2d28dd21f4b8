// Bad input is one line naming the problem and the place, never an internal error with a stack.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkLossCommand } from '../../../src/cli/checkLossCommand';
import { reportError } from '../../../src/cli/cli';
import { statusCommand } from '../../../src/cli/statusCommand';
import { loadConfigWithPaths } from '../../../src/core/config/configPaths';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { openRunSink, writeExperimentManifest } from '../../../src/core/results/runSink';

const noTrace = () => assert.fail('not an internal error');
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-oneliner-'));

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return reportError(e, noTrace).text;
  }
  return assert.fail('expected a failure');
}

test('a config path that is a folder: one line naming it, not EISDIR', async () => {
  const dir = tempDir();
  try {
    const folder = path.join(dir, 'x.losslab.json');
    fs.mkdirSync(folder);
    assert.equal(await failure(loadConfigWithPaths(folder)), `losslab: ${folder}: is a folder, not a config file (give the path of a *.losslab.json file)\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const status = (dir: string, lines: string[] = []) => statusCommand(dir, { watch: false, cliPath: '/nonexistent' }, (line) => (lines.push(line), true));

test('status on an experiment.json that is not JSON: one line naming the file', async () => {
  const dir = tempDir();
  try {
    fs.writeFileSync(path.join(dir, 'experiment.json'), '{ garbage');
    const text = await failure(status(dir));
    assert.match(text, /^losslab: .*experiment\.json is not valid JSON \(.*\): the experiment's manifest is damaged; running its config again with 'losslab run' rewrites it\n$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('status shows a run whose status.json cannot be read as damaged, not as never submitted', async () => {
  const dir = tempDir();
  try {
    const config = validateConfig({ name: 's', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], seeds: [1, 2], training: { epochs: 2, milestones: [1] } });
    writeExperimentManifest(dir, config);
    const [damaged, untouched] = expandGrid(config);
    const sink = openRunSink(path.join(dir, damaged.runId), damaged);
    sink.epochFinished({ epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.5, lr: 0.1, seconds: 1, imagesPerSec: 1 }, new Uint8Array([1]));
    fs.writeFileSync(path.join(dir, damaged.runId, 'status.json'), '\u0000\u0001 not json');
    const lines: string[] = [];
    await status(dir, lines);
    assert.ok(lines.includes(`${damaged.runId}: DAMAGED: status.json cannot be read; repair or delete it, or run again with --restart to train the run from scratch (1/2 epochs)`), lines.join('\n'));
    assert.ok(lines.includes(`${untouched.runId}: NOT SUBMITTED (0/2 epochs)`), lines.join('\n'));
    assert.ok(lines.includes('1 DAMAGED, 1 NOT SUBMITTED'), lines.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("check-loss prints its checks without tfjs's advice to install tfjs-node", async () => {
  const out: string[] = [];
  const warn = mock.method(console, 'warn', (...args: unknown[]) => void out.push(args.join(' ')));
  const write = mock.method(process.stdout, 'write', (chunk: unknown) => (out.push(String(chunk)), true));
  // The checks run in the module host (from source here: no dist/ beside this worker path); its output comes through stderr.
  const writeErr = mock.method(process.stderr, 'write', (chunk: unknown) => (out.push(String(chunk)), true));
  try {
    await checkLossCommand(path.resolve('test/fixtures/planted-losses/ce.ts'), {}, path.resolve('no-dist/worker.js'));
  } finally {
    warn.mock.restore();
    write.mock.restore();
    writeErr.mock.restore();
  }
  assert.match(out.join(''), /gradient/i);
  assert.doesNotMatch(out.join(''), /looks like you are running TensorFlow\.js in Node\.js/);
});

test("status of a search folder reads its manifest back (the schema's default seeds are no search config's own) and lists the chosen final runs", async () => {
  const dir = tempDir();
  try {
    const config = validateConfig({
      name: 's',
      dataset: { name: 'mnist', validation: 0.2 },
      models: [{ name: 'simple-cnn' }],
      losses: [{ name: 'ce' }],
      training: { epochs: 3, milestones: [], lr: { log: [0.01, 0.2] } },
      search: { trials: 2, finalSeeds: 2 },
    });
    writeExperimentManifest(dir, config);
    const study = { key: 'simple-cnn-w1__ce', modelLabel: 'simple-cnn', lossLabel: 'ce', space: {}, trials: [], finalRunIds: [] };
    fs.writeFileSync(
      path.join(dir, 'search.json'),
      JSON.stringify({
        version: 1,
        stage: 'final',
        budget: { trialsPerStudy: 2, maxEpochs: 3, rungs: [1, 3], eta: 3, finalSeeds: [1, 2] },
        studies: [{ ...study, chosen: { trial: 1, params: { 'training.lr': 0.05 }, valAcc: 50, epoch: 3 } }],
      }),
    );
    const lines: string[] = [];
    await status(dir, lines);
    assert.equal(lines[0], 's: 4 runs, not submitted to SLURM');
    assert.deepEqual(
      lines.slice(1, 5).map((l) => l.split(':')[0]),
      ['simple-cnn-w1__ce__trial0', 'simple-cnn-w1__ce__trial1', 'simple-cnn-w1__ce__seed1', 'simple-cnn-w1__ce__seed2'],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
