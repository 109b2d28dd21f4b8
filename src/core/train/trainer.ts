import * as tf from '@tensorflow/tfjs-core';
import { trainingBatches, type BatchSource } from '../data/prefetch';
import type { ImageDataset } from '../data/types';
import type { RunSpec } from '../config/types';
import type { EpochMetrics } from '../results/types';
import { encodeCheckpoint, restoreCheckpoint } from './checkpoint';
import { diagnostics, evaluate } from './evaluate';
import { checkBatchLoss, checkEpochLoss, divergenceRule, type DivergenceRule } from './divergence';
import { RunPausedError, RunSink, RunStoppedError, TrainEvent } from './events';
import { buildNetwork, Network } from './network';
import { runEnvironment } from './environment';
import { learningRateAt } from './schedule';
import { Sgd } from './sgd';
import { trainStep } from './step';
import { resolveLogEvery, StepWindow } from './stepLog';

export interface TrainOptions {
  spec: RunSpec;
  dataset: ImageDataset;
  backend: string;
  sink: RunSink;
  onEvent?: (e: TrainEvent) => void;
  /** Polled between steps: true stops the run after the current step. */
  shouldStop?: () => boolean;
  /** Stop after this epoch (RunPausedError); the lr schedule still counts the run's own epochs, so resuming continues it exactly. */
  pauseAfter?: number;
}

/**
 * A run's wall time over all its sessions: the epochs an earlier session finished (their own
 * recorded seconds; that session's start-up is not known) plus this session's time.
 */
function runWallSeconds(earlierEpochs: readonly Pick<EpochMetrics, 'seconds'>[], sessionSeconds: number): number {
  return earlierEpochs.reduce((a, m) => a + (Number.isFinite(m.seconds) ? m.seconds : 0), 0) + sessionSeconds;
}

/** Trains one run of the grid to the end (or resumes it), writing every finished epoch to the sink. */
export async function trainRun(opts: TrainOptions): Promise<void> {
  const { spec, dataset: ds, sink } = opts;
  const emit = opts.onEvent ?? (() => {});
  const t = spec.training;
  const net = buildNetwork(spec.model, spec.loss, ds.channels, ds.numClasses, spec.seed);
  const sgd = new Sgd(net.store.params, { momentum: t.momentum, weightDecay: t.weightDecay, decayBiasAndBn: t.decayBiasAndBn });
  const stateTensors = () => [...net.store.all(), ...net.store.params.map((p, i) => ({ name: `${p.name}.momentum_buffer`, variable: sgd.buffers[i] }))];
  const started = Date.now();
  let batches: BatchSource | undefined;
  try {
    const resume = sink.resumePoint();
    const history: EpochMetrics[] = [...resume.epochs];
    let firstEpoch = 1;
    if (resume.checkpoint && history.length) {
      firstEpoch = restoreCheckpoint(resume.checkpoint, stateTensors(), `${spec.runId}/checkpoint`, history.at(-1)!.epoch) + 1;
      history.length = firstEpoch - 1;
    }
    const earlierEpochs = [...history];
    batches = trainingBatches(ds.train, { height: ds.height, width: ds.width, channels: ds.channels, mean: ds.mean, std: ds.std, batchSize: t.batchSize, augment: t.augment, shuffle: true });
    const stepsPerEpoch = batches.batchesPerEpoch;
    const logEvery = resolveLogEvery(t.logEvery, stepsPerEpoch);
    // Step points carry the run's wall time over all sessions, as its summary does.
    const wallSeconds = () => runWallSeconds(earlierEpochs, (Date.now() - started) / 1000);
    const rule = divergenceRule(t);
    // The starting loss the growth check compares with: the first batch's, or epoch 1's mean for a resumed run.
    const growth = { startLoss: history[0]?.trainLoss };
    sink.started(opts.backend);
    emit({ type: 'started', runId: spec.runId, backend: opts.backend, trainableParams: net.trainableCount, epochs: t.epochs, stepsPerEpoch, resumedFromEpoch: firstEpoch - 1 });

    const lastEpoch = Math.min(t.epochs, opts.pauseAfter ?? t.epochs);
    for (let epoch = firstEpoch; epoch <= lastEpoch; epoch++) {
      const epochStart = Date.now();
      const lr = learningRateAt(epoch, t);
      const train = await trainEpoch(net, sgd, ds, batches, spec.seed * 7919 + epoch, {
        epoch,
        lr,
        spec,
        emit,
        sink,
        logEvery,
        wallSeconds,
        shouldStop: opts.shouldStop,
        totalEpochs: t.epochs,
        rule,
        growth,
      });
      checkEpochLoss(rule, train.loss, growth.startLoss, { epoch, lr: t.lr });
      const trainSeconds = (Date.now() - epochStart) / 1000;
      const test = evaluate(net, ds, ds.test);
      const validation = ds.validation && evaluate(net, ds, ds.validation);
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: train.loss,
        trainAcc: train.acc,
        testLoss: test.loss,
        testAcc: test.acc,
        ...(validation ? { valLoss: validation.loss, valAcc: validation.acc } : {}),
        lr,
        seconds: (Date.now() - epochStart) / 1000,
        imagesPerSec: ds.train.count / trainSeconds,
      };
      history.push(metrics);
      sink.epochFinished(metrics, encodeCheckpoint(epoch, stateTensors()));
      emit({ type: 'epoch', runId: spec.runId, metrics });
    }
    if (lastEpoch < t.epochs) throw new RunPausedError(Math.max(lastEpoch, history.length));

    const { logits, weightNorms } = diagnostics(net, ds, ds.test);
    const last = history[history.length - 1];
    const summary = {
      runId: spec.runId,
      model: spec.model.name,
      loss: spec.lossLabel,
      seed: spec.seed,
      finalTestAcc: last?.testAcc ?? NaN,
      bestTestAcc: Math.max(...history.map((h) => h.testAcc)),
      ...(ds.validation ? { finalValAcc: last?.valAcc ?? NaN, bestValAcc: Math.max(...history.map((h) => h.valAcc ?? NaN)) } : {}),
      finalTrainAcc: last?.trainAcc ?? NaN,
      epochs: history.length,
      backend: opts.backend,
      wallSeconds: wallSeconds(),
      scaledBnEval: net.head.evalMode,
      trainableParams: net.trainableCount,
      ...runEnvironment(),
    };
    sink.finished(summary, logits, weightNorms);
    emit({ type: 'finished', runId: spec.runId, summary });
  } finally {
    batches?.close();
    sgd.dispose();
    net.store.dispose();
  }
}

interface EpochContext {
  epoch: number;
  totalEpochs: number;
  lr: number;
  spec: RunSpec;
  emit: (e: TrainEvent) => void;
  sink: RunSink;
  /** Steps between two step points (and device reads): training.logEvery resolved. */
  logEvery: number;
  /** The run's training wall time so far, over all its sessions. */
  wallSeconds: () => number;
  shouldStop?: () => boolean;
  rule: DivergenceRule;
  /** Set from the run's first batch when not known from an earlier attempt. */
  growth: { startLoss?: number };
}

/**
 * One pass over the training split. Loss/accuracy are read back every `logEvery` steps only (each
 * read is a device sync); each read records a step point, the mean over the batches since the last.
 */
async function trainEpoch(net: Network, sgd: Sgd, ds: ImageDataset, batcher: BatchSource, epochSeed: number, ctx: EpochContext): Promise<{ loss: number; acc: number }> {
  const { logEvery } = ctx;
  const steps = batcher.batchesPerEpoch;
  const pending: { loss: tf.Tensor; correct: tf.Tensor; size: number; step: number }[] = [];
  const recent = new StepWindow();
  let lossSum = 0;
  let correctSum = 0;
  let seen = 0;
  const start = Date.now();

  const flush = () => {
    if (pending.length === 0) return;
    // One device read for the whole window (each read waits for the GPU): losses, then correct counts.
    const values = tf.tidy(() => tf.concat([...pending.map((p) => tf.reshape(p.loss, [1])), ...pending.map((p) => tf.reshape(tf.cast(p.correct, 'float32'), [1]))]).dataSync());
    const batches = [...pending];
    for (const p of pending) tf.dispose([p.loss, p.correct]);
    pending.length = 0;
    batches.forEach((p, i) => {
      const loss = values[i];
      checkBatchLoss(ctx.rule, loss, { epoch: ctx.epoch, step: p.step, lr: ctx.spec.training.lr });
      ctx.growth.startLoss ??= loss;
      const correct = values[batches.length + i];
      lossSum += loss * p.size;
      correctSum += correct;
      seen += p.size;
      recent.add(loss, correct, p.size);
    });
  };

  let step = 0;
  for (const batch of batcher.epoch(epochSeed)) {
    step++;
    const x = tf.tensor4d(batch.x, [batch.size, ds.height, ds.width, ds.channels]);
    const y = tf.tensor1d(batch.y, 'int32');
    const { loss, correct } = trainStep(net, sgd, x, y, ctx.lr);
    tf.dispose([x, y]);
    pending.push({ loss, correct, size: batch.size, step });
    if (step % logEvery === 0 || step === steps) {
      flush();
      // On disk before the event goes out: a host that reacts to the event finds the point in steps.jsonl.
      const point = recent.take({ epoch: ctx.epoch, step, stepsPerEpoch: steps, wallSeconds: ctx.wallSeconds() });
      ctx.sink.stepLogged?.(point);
      const elapsed = (Date.now() - start) / 1000;
      const ips = seen / Math.max(elapsed, 1e-9);
      const remainingImages = (steps - step) * batcher.batchSize + (ctx.totalEpochs - ctx.epoch) * ds.train.count;
      ctx.emit({
        type: 'step',
        runId: ctx.spec.runId,
        epoch: ctx.epoch,
        step,
        steps,
        loss: lossSum / seen,
        acc: correctSum / seen,
        imagesPerSec: ips,
        etaSeconds: remainingImages / Math.max(ips, 1e-9),
        point,
      });
      // Yield to the event loop so stop requests and IPC messages get through.
      await new Promise((r) => setImmediate(r));
    }
    if (ctx.shouldStop?.()) {
      flush();
      throw new RunStoppedError(ctx.epoch);
    }
  }
  flush();
  return { loss: lossSum / seen, acc: correctSum / seen };
}
