import type { MetricKey } from './series';

/** The curve charts: the panel's canvas, the y axis' title, and the file an exported chart is saved as. */
export const CURVE_CHARTS: Record<MetricKey, { canvas: string; y: string; file: string }> = {
  testAcc: { canvas: 'chart-test-acc', y: 'test accuracy (%)', file: 'test-accuracy' },
  trainAcc: { canvas: 'chart-train-acc', y: 'train accuracy (%)', file: 'train-accuracy' },
  trainLoss: { canvas: 'chart-train-loss', y: 'train loss', file: 'train-loss' },
  testLoss: { canvas: 'chart-test-loss', y: 'test loss', file: 'test-loss' },
  lr: { canvas: 'chart-lr', y: 'learning rate', file: 'learning-rate' },
  imagesPerSec: { canvas: 'chart-throughput', y: 'throughput (img/s)', file: 'throughput' },
  seconds: { canvas: 'chart-epoch-time', y: 'epoch time (s)', file: 'epoch-time' },
};
