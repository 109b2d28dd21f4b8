// TensorBoard event files read back by an independent reader (test/system/tfevents/read_tfevents.py:
// Python's protobuf with code protoc generates from TensorFlow's field numbers, and its own
// CRC-32C): what a real training run writes, what the sink writes for step points and a resumed
// run, and what `losslab tensorboard` rewrites from a run's files. The reader's prerequisites
// come from `scripts/ensure-deps.sh --tests`; without them these tests fail, naming them.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readJsonLines } from '../../src/core/results/atomicFile';
import { readRun } from '../../src/core/results/runReader';
import { openRunSink } from '../../src/core/results/runSink';
import { EventFileWriter } from '../../src/core/results/tensorboard/eventFile';
import { withTensorBoard } from '../../src/core/results/tensorboardSink';
import type { EpochMetrics, Histogram, StepPoint } from '../../src/core/results/types';
import { FASHION_MNIST, gridOf, requireBuild, tempDir } from './helpers';

before(requireBuild);

const CLI = path.resolve('dist/cli.js');
const READER = path.resolve('test/system/tfevents/read_tfevents.py');
/** Debian's python3-protobuf belongs to the system Python, whatever python3 is first on PATH. */
const PYTHON = '/usr/bin/python3';

interface ReadHisto {
  min: number;
  max: number;
  num: number;
  sum: number;
  sum_squares: number;
  bucket_limit: number[];
  bucket: number[];
}
interface ReadEvent {
  wall_time: number;
  step: number;
  file_version?: string;
  session_log?: string;
  values?: { tag: string; simple_value?: number; histo?: ReadHisto }[];
}
interface ReadFile {
  name: string;
  events: ReadEvent[];
}

function readEvents(...paths: string[]): ReadFile[] {
  const r = spawnSync(PYTHON, [READER, ...paths], { encoding: 'utf8' });
  assert.equal(r.status, 0, `the independent reader failed: ${r.stderr || r.error?.message}`);
  return (JSON.parse(r.stdout) as { files: ReadFile[] }).files;
}

/** A file's first two events as `what@step`. */
const opening = (events: ReadEvent[]) => events.slice(0, 2).map((e) => `${e.file_version ?? e.session_log}@${e.step}`);

/** `tag@step` → value, over every event of the files. */
function valuesOf(files: ReadFile[]): Map<string, number | ReadHisto> {
  const out = new Map<string, number | ReadHisto>();
  for (const e of files.flatMap((f) => f.events)) for (const v of e.values ?? []) out.set(`${v.tag}@${e.step}`, v.histo ?? v.simple_value!);
  return out;
}

/** What TensorBoard's HistogramProto must say for one of our histograms: exact buckets and count. */
function assertHistogram(actual: unknown, h: Histogram, what: string) {
  assert.ok(actual && typeof actual === 'object', `${what}: no histogram`);
  const histo = actual as ReadHisto;
  assert.deepEqual(histo.bucket, h.counts, `${what}: buckets`);
  assert.deepEqual(histo.bucket_limit, h.edges.slice(1), `${what}: bucket limits`);
  assert.equal(histo.min, h.edges[0], `${what}: min`);
  assert.equal(histo.max, h.edges.at(-1), `${what}: max`);
  assert.equal(
    histo.num,
    h.counts.reduce((a, b) => a + b, 0),
    `${what}: num`,
  );
}

test('the reader accepts what the writer wrote, value for value, and rejects a file with one byte changed', () => {
  const dir = tempDir('losslab-tbw-');
  const writer = new EventFileWriter(dir, 1700000000.25);
  writer.write({ wallTime: 1700000001.5, step: 2 ** 40, summary: [{ tag: 'a/b', simpleValue: 0.1 }] });
  writer.write({ wallTime: 1700000002, step: 7, summary: [{ tag: 'h', histogram: { min: -1, max: 3, num: 4, sum: 2.5, sumSquares: 6.25, bucketLimit: [1, 3], bucket: [1, 3] } }] });
  writer.write({ wallTime: 1700000003, step: 9, sessionStart: true });
  writer.close();
  const [file] = readEvents(dir);
  assert.deepEqual(file.events, [
    { wall_time: 1700000000.25, step: 0, file_version: 'brain.Event:2' },
    { wall_time: 1700000001.5, step: 2 ** 40, values: [{ tag: 'a/b', simple_value: Math.fround(0.1) }] },
    { wall_time: 1700000002, step: 7, values: [{ tag: 'h', histo: { min: -1, max: 3, num: 4, sum: 2.5, sum_squares: 6.25, bucket_limit: [1, 3], bucket: [1, 3] } }] },
    { wall_time: 1700000003, step: 9, session_log: 'START' },
  ]);
  const bytes = fs.readFileSync(writer.file);
  bytes[bytes.length - 6] ^= 0x01; // inside the last record's data
  fs.writeFileSync(writer.file, bytes);
  const r = spawnSync(PYTHON, [READER, writer.file], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^read_tfevents: .*bad data checksum at byte \d+\n$/);
});

const [SPEC] = gridOf({ name: 'tb-sink', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 2, batchSize: 5, milestones: [2] } });
const metrics = (epoch: number): EpochMetrics => ({
  epoch,
  trainLoss: 2 / epoch + 0.123,
  trainAcc: 0.3 * epoch,
  testLoss: 1.7 / epoch,
  testAcc: 0.31 * epoch,
  lr: 0.05,
  seconds: 1.5,
  imagesPerSec: 1234.5,
});
const point = (epoch: number, step: number): StepPoint => ({ epoch, step, stepsPerEpoch: 4, globalStep: (epoch - 1) * 4 + step, loss: 2.5 - step / 10, acc: step / 10, wallSeconds: step });

test("the sink's step points land at their global step; a resumed run's new file starts with a SessionLog START at the first redone step", () => {
  const dir = path.join(tempDir('losslab-tbs-'), SPEC.runId);
  const warn = (m: string) => assert.fail(m);
  const first = withTensorBoard(openRunSink(dir, SPEC), SPEC, { warn });
  first.resumePoint();
  first.started('cpu');
  for (const s of [2, 4]) first.stepLogged(point(1, s));
  first.epochFinished(metrics(1), new Uint8Array([1]));
  first.stepLogged(point(2, 2)); // then the process is killed
  // No dataset.json here: the steps per epoch (4) come from the step points, so the START waits for the first of them.
  const resumed = withTensorBoard(openRunSink(dir, SPEC), SPEC, { warn });
  resumed.resumePoint();
  resumed.started('cpu');
  for (const s of [2, 4]) resumed.stepLogged(point(2, s));
  resumed.epochFinished(metrics(2), new Uint8Array([2]));

  const files = readEvents(dir);
  assert.equal(files.length, 2);
  const [earlier, later] = files.map((f) => f.events);
  // Each attempt's file: file_version, then a SessionLog START at the first step it trains (TensorBoard's server ignores a run's first START and takes a later one as a restart).
  assert.deepEqual(opening(earlier), ['brain.Event:2@0', 'START@1']);
  assert.deepEqual(opening(later), ['brain.Event:2@0', 'START@5']);
  const values = valuesOf(files);
  for (const p of [point(1, 2), point(1, 4), point(2, 2), point(2, 4)]) {
    assert.equal(values.get(`train_step/loss@${p.globalStep}`), Math.fround(p.loss));
    assert.equal(values.get(`train_step/accuracy@${p.globalStep}`), Math.fround(p.acc));
  }
  // Steps per epoch from the step points (4): epoch 1 ends at step 4, epoch 2 at step 8.
  assert.equal(values.get('train/loss@4'), Math.fround(metrics(1).trainLoss));
  assert.equal(values.get('test/accuracy@8'), Math.fround(metrics(2).testAcc));
});

const TRAIN_IMAGES = 300;
const BATCH = 64;
/** ceil(300 / 64): the trainer's last batch is smaller. */
const STEPS_PER_EPOCH = 5;
const CONFIG = {
  name: 'tb',
  dataset: { name: 'fashion-mnist', path: FASHION_MNIST, trainSubset: TRAIN_IMAGES, testSubset: 200 },
  models: [{ name: 'simple-cnn', width: 0.25 }],
  losses: [{ name: 'scaled-bn', m: 0.9 }],
  seeds: [1],
  training: { epochs: 2, batchSize: BATCH, lr: 0.05, milestones: [2], logEvery: 2, augment: { crop: false, padding: 0, flip: false } },
  backend: 'torch',
};

test('a real training run writes event files whose scalars equal metrics.jsonl (float32) and whose histograms are logits.json; losslab tensorboard rewrites the same', () => {
  const root = tempDir('losslab-tbrun-');
  const configFile = path.join(root, 'tb.losslab.json');
  fs.writeFileSync(configFile, JSON.stringify(CONFIG));
  const r = spawnSync(process.execPath, [CLI, 'run', configFile, '--out', path.join(root, 'runs')], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /TensorBoard/, 'no warning about event files');
  const experimentDir = path.join(root, 'runs', 'tb');
  const [runId] = fs.readdirSync(experimentDir).filter((n) => fs.statSync(path.join(experimentDir, n)).isDirectory());
  const runDir = path.join(experimentDir, runId);
  const run = readRun(runDir);
  assert.equal(run.status?.state, 'done');
  assert.equal(run.metrics.length, 2);

  const live = readEvents(runDir);
  assert.equal(live.length, 1, 'one event file');
  assert.deepEqual(opening(live[0].events), ['brain.Event:2@0', 'START@1']);
  const values = valuesOf(live);
  const tags: [string, Exclude<keyof EpochMetrics, 'valLoss' | 'valAcc'>][] = [
    ['train/loss', 'trainLoss'],
    ['train/accuracy', 'trainAcc'],
    ['test/loss', 'testLoss'],
    ['test/accuracy', 'testAcc'],
    ['lr', 'lr'],
    ['throughput/images_per_sec', 'imagesPerSec'],
    ['time/epoch_seconds', 'seconds'],
    ['epoch', 'epoch'],
  ];
  for (const m of run.metrics) {
    for (const [tag, field] of tags) assert.equal(values.get(`${tag}@${m.epoch * STEPS_PER_EPOCH}`), Math.fround(m[field]), `${tag} of epoch ${m.epoch}`);
  }
  // Step-level points (steps.jsonl): about 20 per epoch by default, each at its global step.
  const points = readJsonLines<StepPoint>(path.join(runDir, 'steps.jsonl')).values;
  assert.equal(points.length, 2 * 3, 'logEvery 2 over 5 steps: points at steps 2, 4 and 5 of each epoch');
  for (const p of points) assert.equal(values.get(`train_step/loss@${p.globalStep}`), Math.fround(p.loss), `step point ${p.globalStep}`);

  const lastStep = 2 * STEPS_PER_EPOCH;
  assertHistogram(values.get(`logits/before_bn@${lastStep}`), run.logits!.before, 'logits/before_bn');
  assertHistogram(values.get(`logits/after_bn@${lastStep}`), run.logits!.after!, 'logits/after_bn');
  const norms = run.weightNorms!.norms;
  assert.equal(norms.length, 10);
  norms.forEach((n, cls) => assert.equal(values.get(`weight_norm/class_${cls}@${lastStep}`), Math.fround(n), `class ${cls}'s weight norm`));
  assert.equal((values.get(`weight_norms@${lastStep}`) as ReadHisto).num, 10);

  // A run from before event files: `losslab tensorboard` writes the same values from the run's files.
  for (const f of live) fs.rmSync(path.join(runDir, f.name));
  const t = spawnSync(process.execPath, [CLI, 'tensorboard', experimentDir], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, new RegExp(`${runId}: 2 epochs, ${points.length} step points?, 3 histograms -> events\\.out\\.tfevents\\.\\d+\\.`));
  assert.match(t.stdout, /1 run written; view them with: tensorboard --logdir /);
  const rewritten = readEvents(runDir);
  assert.equal(rewritten.length, 1);
  assert.deepEqual(opening(rewritten[0].events), ['brain.Event:2@0', 'START@1']);
  assert.deepEqual(valuesOf(rewritten), values);
});

test('losslab tensorboard names a wrong folder in one line', () => {
  const empty = tempDir('losslab-tbempty-');
  for (const [dir, message] of [
    [path.join(empty, 'nope'), /^losslab: .*nope: no such folder \(expected a run, an experiment such as \.losslab\/runs\/<experiment>, or \.losslab\/runs\)\n$/],
    [empty, /^losslab: .*: no runs found \(a run folder holds config\.json, status\.json or metrics\.jsonl; looked two levels down\)\n$/],
  ] as const) {
    const r = spawnSync(process.execPath, [CLI, 'tensorboard', dir], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, message);
  }
});
