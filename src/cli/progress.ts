import * as cliProgress from 'cli-progress';
import type { TrainEvent } from '../core/train/events';
import { formatDuration } from '../core/util/duration';
import { percent } from '../core/util/format';
import type { EpochMetrics } from '../core/results/types';

/** " val 39.0% (loss 1.6949)" for a run with a validation split, else nothing. */
function validationText(m: EpochMetrics): string {
  return m.valAcc === undefined ? '' : ` val ${percent(m.valAcc, 1)} (loss ${(m.valLoss ?? NaN).toFixed(4)})`;
}

/**
 * " val 39.0% (loss 1.6949) test 41.0% (loss 1.6)", or for a search trial, which is judged on
 * validation only, the test number in labelled brackets so nobody tunes on it by eye.
 */
export function accuracyText(m: EpochMetrics, trial: boolean): string {
  const test = `test ${percent(m.testAcc, 1)} (loss ${m.testLoss.toFixed(4)})`;
  return trial && m.valAcc !== undefined ? `${validationText(m)} [${test}, not used for tuning]` : `${validationText(m)} ${test}`;
}

/** Live progress for the CLI: one bar per run on a terminal, one line per epoch otherwise (CI logs). */
export interface ProgressView {
  /** `trial`: the run is a search trial, shown by its validation accuracy. */
  event(runId: string, e: TrainEvent, trial?: boolean): void;
  line(text: string): void;
  stop(): void;
}

export function createProgressView(tty: boolean): ProgressView {
  return tty ? new BarsView() : new LinesView();
}

class BarsView implements ProgressView {
  private readonly multi = new cliProgress.MultiBar(
    {
      format: '{run} |{bar}| ep {epoch}/{epochs} step {step}/{steps} loss {loss} acc {acc} {ips} img/s ETA {eta}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  private readonly bars = new Map<string, cliProgress.SingleBar>();
  private readonly totals = new Map<string, { epochs: number; steps: number }>();

  event(runId: string, e: TrainEvent, trial = false): void {
    if (e.type === 'started') {
      this.totals.set(runId, { epochs: e.epochs, steps: e.stepsPerEpoch });
      const bar = this.multi.create(e.epochs * e.stepsPerEpoch, e.resumedFromEpoch * e.stepsPerEpoch, this.payload(runId, e.resumedFromEpoch, 0, NaN, NaN, 0, NaN));
      this.bars.set(runId, bar);
    } else if (e.type === 'step') {
      const t = this.totals.get(runId);
      if (!t) return;
      this.bars.get(runId)?.update((e.epoch - 1) * t.steps + e.step, this.payload(runId, e.epoch, e.step, e.loss, e.acc, e.imagesPerSec, e.etaSeconds));
    } else if (e.type === 'epoch') {
      this.multi.log(`${runId}: epoch ${e.metrics.epoch} train ${percent(e.metrics.trainAcc, 1)}${accuracyText(e.metrics, trial)} ${e.metrics.imagesPerSec.toFixed(0)} img/s\n`);
    }
  }

  line(text: string): void {
    this.multi.log(`${text}\n`);
  }

  stop(): void {
    this.multi.stop();
  }

  private payload(runId: string, epoch: number, step: number, loss: number, acc: number, ips: number, eta: number) {
    const t = this.totals.get(runId) ?? { epochs: 0, steps: 0 };
    return {
      run: runId.padEnd(40).slice(0, 40),
      epoch,
      epochs: t.epochs,
      step,
      steps: t.steps,
      loss: Number.isFinite(loss) ? loss.toFixed(4) : '-',
      acc: Number.isFinite(acc) ? percent(acc, 1) : '-',
      ips: ips.toFixed(0),
      eta: formatDuration(eta),
    };
  }
}

class LinesView implements ProgressView {
  private readonly lastPrint = new Map<string, number>();

  event(runId: string, e: TrainEvent, trial = false): void {
    if (e.type === 'started') {
      this.line(
        `${runId}: started on ${e.backend}, ${e.trainableParams.toLocaleString('en')} parameters, ${e.epochs} epochs × ${e.stepsPerEpoch} steps${e.resumedFromEpoch ? `, resuming after epoch ${e.resumedFromEpoch}` : ''}`,
      );
    } else if (e.type === 'step') {
      const now = Date.now();
      if (now - (this.lastPrint.get(runId) ?? 0) < 15000) return; // a heartbeat, not a flood
      this.lastPrint.set(runId, now);
      this.line(`${runId}: epoch ${e.epoch} step ${e.step}/${e.steps} loss ${e.loss.toFixed(4)} acc ${percent(e.acc, 1)} ${e.imagesPerSec.toFixed(0)} img/s ETA ${formatDuration(e.etaSeconds)}`);
    } else if (e.type === 'epoch') {
      const m = e.metrics;
      this.line(
        `${runId}: epoch ${m.epoch} train ${percent(m.trainAcc, 1)} (loss ${m.trainLoss.toFixed(4)})${accuracyText(m, trial)} lr ${m.lr.toPrecision(3)} ${m.seconds.toFixed(1)} s ${m.imagesPerSec.toFixed(0)} img/s`,
      );
    } else if (e.type === 'finished') {
      const { finalValAcc, finalTestAcc, wallSeconds } = e.summary;
      const accuracy =
        trial && finalValAcc !== undefined
          ? `final validation accuracy ${percent(finalValAcc, 1)} [test ${percent(finalTestAcc, 1)}, not used for tuning]`
          : `final test accuracy ${percent(finalTestAcc, 1)}`;
      this.line(`${runId}: finished, ${accuracy} in ${wallSeconds.toFixed(0)} s`);
    }
  }

  line(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  stop(): void {}
}
