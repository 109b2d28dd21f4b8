/**
 * Every run also writes TensorBoard event files into its own folder, so `tensorboard --logdir
 * .losslab/runs` shows each run folder as one TensorBoard run: epoch scalars, step-level
 * training points and, at the end, the logit histograms and weight norms (tags and steps:
 * tensorboard/runEvents.ts).
 *
 * A decorator of the results store's sink: the store's own files are written first and stay
 * the source of truth. Event files are a copy for another tool, so failing to write them never
 * fails the run: the first failure is reported once through `warn` and the rest is skipped.
 */
import type { RunSpec } from '../config/types';
import type { DatasetSummary } from '../data/types';
import { fileFaultText } from './fileFaults';
import type { RunSinkHandle } from './runSink';
import { EventFileWriter, removeEventFiles } from './tensorboard/eventFile';
import type { TfEvent } from './tensorboard/eventProto';
import { epochEndStep, epochEvent, finalEvent, stepEvent, stepsPerEpochOf } from './tensorboard/runEvents';
import type { StepPoint } from './types';

/** `stepLogged` is optional on the store's sink; the decorated sink always has it. */
type StepSink = { stepLogged?(point: StepPoint): void };

export interface TensorBoardSinkOptions {
  /** Told once, on the first failure to write event files (the run's log). */
  warn(message: string): void;
  /** Unix seconds; tests fix it. */
  now?: () => number;
}

export function withTensorBoard<S extends RunSinkHandle & StepSink>(inner: S, spec: RunSpec, options: TensorBoardSinkOptions): S & Required<StepSink> {
  const now = options.now ?? (() => Date.now() / 1000);
  let writer: EventFileWriter | null = null;
  let failed = false;
  /** Epochs the trainer resumes after (0: a fresh start). */
  let resumedEpochs = 0;
  let trainImages: number | undefined;
  let lastPoint: StepPoint | undefined;
  const stepsPerEpoch = () => stepsPerEpochOf({ stepPoint: lastPoint, trainImages, batchSize: spec.training.batchSize });

  /** Runs one event-file operation; after a failure, none. */
  const tensorboard = (operation: () => void) => {
    if (failed) return;
    try {
      operation();
    } catch (e) {
      failed = true;
      closeQuietly();
      const why = fileFaultText(e) ?? (e instanceof Error ? e.message : String(e));
      options.warn(`TensorBoard event files are not written for this run: ${why}. The run goes on; 'losslab tensorboard ${inner.dir}' writes them afterwards.`);
    }
  };

  const closeQuietly = () => {
    try {
      writer?.close();
    } catch {
      // Closing after a failed write: nothing more to report.
    }
    writer = null;
  };

  /** The new file still owes its SessionLog START (written with the first event, when a step point may have told the steps per epoch). */
  let startOwed = false;

  /**
   * A fresh start discards the event files of earlier attempts (their results are gone too).
   * Every attempt's file begins with a SessionLog START at the first step it trains, as
   * TensorFlow's own writers do: TensorBoard takes a later START as a restart and drops what the
   * interrupted attempt had logged from that step on (the epoch it redoes). Its server ignores
   * the first START of a run, so the first attempt needs one too.
   */
  const open = () => {
    if (resumedEpochs === 0) removeEventFiles(inner.dir);
    writer = new EventFileWriter(inner.dir, now());
    startOwed = true;
  };

  const write = (event: TfEvent) => {
    if (!writer) open();
    if (startOwed) {
      writer!.write({ wallTime: now(), step: epochEndStep(resumedEpochs, stepsPerEpoch()) + 1, sessionStart: true });
      startOwed = false;
    }
    writer!.write(event);
  };

  return {
    ...inner,
    resumePoint() {
      const point = inner.resumePoint();
      resumedEpochs = point.checkpoint ? point.epochs.length : 0;
      return point;
    },
    datasetLoaded(summary: DatasetSummary) {
      inner.datasetLoaded(summary);
      trainImages = summary.train;
    },
    started(backend: string) {
      inner.started(backend);
      tensorboard(() => {
        closeQuietly();
        open();
      });
    },
    stepLogged(point: StepPoint) {
      inner.stepLogged?.(point);
      lastPoint = point;
      tensorboard(() => write(stepEvent(point, now())));
    },
    epochFinished(metrics, checkpoint) {
      inner.epochFinished(metrics, checkpoint);
      tensorboard(() => write(epochEvent(metrics, epochEndStep(metrics.epoch, stepsPerEpoch()), now())));
    },
    finished(summary, logits, weightNorms) {
      inner.finished(summary, logits, weightNorms);
      tensorboard(() => {
        const event = finalEvent(logits, weightNorms, epochEndStep(summary.epochs, stepsPerEpoch()), now());
        if (event) write(event);
        writer?.close();
        writer = null;
      });
    },
    stopped(reason) {
      const result = inner.stopped(reason);
      tensorboard(closeQuietly);
      return result;
    },
    failed(message) {
      const result = inner.failed(message);
      tensorboard(closeQuietly);
      return result;
    },
  };
}
