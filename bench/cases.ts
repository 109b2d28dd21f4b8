// What `npm run bench` measures: the networks below, each with the ce and scaled-bn heads,
// on every backend that loads. Shared by the parent (which plans) and the child (which measures).
import type { BackendKind } from '../src/core/backend/selectBackend';
import type { LossConfig, ModelConfig } from '../src/core/config/types';

export interface BenchCase {
  /** e.g. `resnet18-w0.25/scaled-bn`. */
  id: string;
  model: Required<ModelConfig>;
  loss: LossConfig;
  size: number;
  channels: number;
  classes: number;
  batch: number;
  warmup: number;
  steps: number;
  /** The pure-JS cpu backend is measured on the smallest case only (it is ~100× slower). */
  cpu: boolean;
}

export interface BackendTarget {
  /** e.g. `wasm-2t`. */
  id: string;
  kind: BackendKind;
  threads: number;
}

const HEADS: LossConfig[] = [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }];

const NETWORKS = [
  // Fashion-MNIST sized; the quick example's network.
  { name: 'simple-cnn', width: 1, size: 28, channels: 1, classes: 10, batch: 128, warmup: 2, steps: 5, cpu: true },
  // CIFAR-100 sized, quarter width: the main throughput target.
  { name: 'resnet18', width: 0.25, size: 32, channels: 3, classes: 100, batch: 64, warmup: 2, steps: 5, cpu: false },
  // The paper's network: slow on CPU backends, so few steps; its peak memory is what matters.
  { name: 'resnet18', width: 1, size: 32, channels: 3, classes: 100, batch: 128, warmup: 1, steps: 3, cpu: false },
] as const;

export function allCases(): BenchCase[] {
  return NETWORKS.flatMap((n) =>
    HEADS.map((loss) => ({
      id: `${n.name}${n.width === 1 && n.name === 'simple-cnn' ? '' : `-w${n.width}`}/${loss.name}`,
      model: { name: n.name, width: n.width },
      loss,
      size: n.size,
      channels: n.channels,
      classes: n.classes,
      batch: n.batch,
      warmup: n.warmup,
      steps: n.steps,
      cpu: n.cpu,
    })),
  );
}

/** --quick: the two small networks with the ce head, fewer steps. */
export function quickCases(): BenchCase[] {
  return allCases()
    .filter((c) => c.loss.name === 'ce' && !(c.model.name === 'resnet18' && c.model.width === 1))
    .map((c) => ({ ...c, warmup: 1, steps: 3 }));
}

/** Native and GPU backends first; each is probed and skipped when it does not load. */
export function allTargets(maxThreads: number): BackendTarget[] {
  const wasm = [1, 2].filter((t) => t <= maxThreads).map((t) => ({ id: `wasm-${t}t`, kind: 'wasm' as const, threads: t }));
  const torch = [1, 2].filter((t) => t <= maxThreads).map((t) => ({ id: `torch-${t}t`, kind: 'torch' as const, threads: t }));
  return [
    ...torch,
    { id: 'tensorflow-gpu', kind: 'tensorflow-gpu', threads: 0 },
    { id: 'tensorflow', kind: 'tensorflow', threads: 0 },
    { id: 'webgpu', kind: 'webgpu', threads: 0 },
    ...wasm,
    { id: 'cpu', kind: 'cpu', threads: 1 },
  ];
}
