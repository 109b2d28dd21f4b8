/**
 * What a Loss Lab run looks like in TensorBoard: which tags, at which step. The live sink
 * (../tensorboardSink.ts) and `losslab tensorboard` (rewriteRun.ts) both build their events here.
 *
 * x axis: TensorBoard's step is the global training step everywhere. A step-level point sits at
 * its `globalStep`; an epoch's scalars at the step that ends the epoch (epoch × steps per epoch),
 * so both share one axis; the final histograms at the last step.
 */
import { histogram } from '../histogram';
import type { EpochMetrics, Histogram, LogitHistograms, StepPoint, WeightNorms } from '../types';
import type { HistogramProto, SummaryValue, TfEvent } from './eventProto';

const TAGS = {
  epoch: {
    trainLoss: 'train/loss',
    trainAcc: 'train/accuracy',
    testLoss: 'test/loss',
    testAcc: 'test/accuracy',
    valLoss: 'validation/loss',
    valAcc: 'validation/accuracy',
    lr: 'lr',
    imagesPerSec: 'throughput/images_per_sec',
    seconds: 'time/epoch_seconds',
    epoch: 'epoch',
  },
  step: { loss: 'train_step/loss', acc: 'train_step/accuracy' },
  logitsBefore: 'logits/before_bn',
  logitsAfter: 'logits/after_bn',
  weightNorms: 'weight_norms',
  /** One scalar per class (`weight_norm/class_007`), zero-padded so TensorBoard lists them in class order. */
  classWeightNorm: (cls: number, classes: number) => `weight_norm/class_${String(cls).padStart(String(Math.max(0, classes - 1)).length, '0')}`,
} as const;

/** Bins of the `weight_norms` histogram: the norms' spread over classes, at most one bin per class. */
const WEIGHT_NORM_BINS = 30;

/** Steps per epoch from what is known: a step point says it; else the training images and the batch size (the trainer's last batch may be smaller). */
export function stepsPerEpochOf(known: { stepPoint?: StepPoint; trainImages?: number; batchSize?: number }): number | undefined {
  if (known.stepPoint) return known.stepPoint.stepsPerEpoch;
  if (known.trainImages && known.batchSize) return Math.ceil(known.trainImages / known.batchSize);
  return undefined;
}

/** The global step that ends `epoch`; the epoch number itself when the steps per epoch are unknown (a run from before dataset.json). */
export function epochEndStep(epoch: number, stepsPerEpoch: number | undefined): number {
  return stepsPerEpoch ? epoch * stepsPerEpoch : epoch;
}

export function epochEvent(m: EpochMetrics, step: number, wallTime: number): TfEvent {
  const t = TAGS.epoch;
  const scalars: [string, number][] = [
    [t.trainLoss, m.trainLoss],
    [t.trainAcc, m.trainAcc],
    [t.testLoss, m.testLoss],
    [t.testAcc, m.testAcc],
    ...(m.valLoss !== undefined && m.valAcc !== undefined
      ? ([
          [t.valLoss, m.valLoss],
          [t.valAcc, m.valAcc],
        ] as [string, number][])
      : []),
    [t.lr, m.lr],
    [t.imagesPerSec, m.imagesPerSec],
    [t.seconds, m.seconds],
    [t.epoch, m.epoch],
  ];
  return { wallTime, step, summary: scalars.map(([tag, simpleValue]) => ({ tag, simpleValue })) };
}

export function stepEvent(p: StepPoint, wallTime: number): TfEvent {
  return {
    wallTime,
    step: p.globalStep,
    summary: [
      { tag: TAGS.step.loss, simpleValue: p.loss },
      { tag: TAGS.step.acc, simpleValue: p.acc },
    ],
  };
}

/** The paper's Fig. 2 (logits before and after the scaled BN) and Fig. 3 (per-class weight norms), once, at the run's last step. */
export function finalEvent(logits: LogitHistograms, weightNorms: WeightNorms | null | undefined, step: number, wallTime: number): TfEvent | null {
  const values: SummaryValue[] = [];
  const before = histogramProto(logits.before);
  if (before) values.push({ tag: TAGS.logitsBefore, histogram: before });
  const after = logits.after && histogramProto(logits.after);
  if (after) values.push({ tag: TAGS.logitsAfter, histogram: after });
  if (weightNorms && weightNorms.norms.length > 0) {
    const { norms } = weightNorms;
    const spread = histogramProto(histogram(norms, Math.min(WEIGHT_NORM_BINS, norms.length)));
    if (spread) values.push({ tag: TAGS.weightNorms, histogram: spread });
    norms.forEach((n, cls) => values.push({ tag: TAGS.classWeightNorm(cls, norms.length), simpleValue: n }));
  }
  return values.length > 0 ? { wallTime, step, summary: values } : null;
}

/**
 * Our already-binned histogram as TensorBoard's HistogramProto. The buckets are exact: limits
 * are our right edges, `min`/`max` our outer edges (TensorBoard draws the first bucket from min
 * and the last to max; our edges span the data's min and max). `num` is exact; `sum` and
 * `sum_squares` are approximations, every value taken at its bin's centre (the values themselves
 * are not kept).
 */
export function histogramProto(h: Histogram): HistogramProto | null {
  const { edges, counts } = h;
  if (counts.length === 0 || edges.length !== counts.length + 1) return null;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  counts.forEach((c, i) => {
    const centre = (edges[i] + edges[i + 1]) / 2;
    num += c;
    sum += c * centre;
    sumSquares += c * centre * centre;
  });
  return { min: edges[0], max: edges[edges.length - 1], num, sum, sumSquares, bucketLimit: edges.slice(1), bucket: [...counts] };
}
