// Scratch timing, not a test: stock vs forward-conv gradient kernels on ResNet-ish shapes.
//   npx tsx test/unit/backend/convGradTiming.scratch.ts [batch=16] [reps=5]
// Prints ms per call (median). The numbers quoted in src/core/backend/convGradKernels.ts
// came from this script.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvCase, dyShapeOf, filterAttrs, inputAttrs, startBackends } from './convGradTestSupport';

const batch = Number(process.argv[2] ?? 16);
const reps = Number(process.argv[3] ?? 5);

const SHAPES: Array<[string, ConvCase]> = [
  ['32x32 16→16 3x3 s1', { xShape: [batch, 32, 32, 16], filterShape: [3, 3, 16, 16], strides: [1, 1], pad: 'same' }],
  ['32x32 16→32 3x3 s2', { xShape: [batch, 32, 32, 16], filterShape: [3, 3, 16, 32], strides: [2, 2], pad: 'same' }],
  ['32x32 16→32 1x1 s2', { xShape: [batch, 32, 32, 16], filterShape: [1, 1, 16, 32], strides: [2, 2], pad: 'same' }],
  ['16x16 32→32 3x3 s1', { xShape: [batch, 16, 16, 32], filterShape: [3, 3, 32, 32], strides: [1, 1], pad: 'same' }],
  ['8x8 64→64 3x3 s1', { xShape: [batch, 8, 8, 64], filterShape: [3, 3, 64, 64], strides: [1, 1], pad: 'same' }],
  ['4x4 128→128 3x3 s1', { xShape: [batch, 4, 4, 128], filterShape: [3, 3, 128, 128], strides: [1, 1], pad: 'same' }],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Calls a kernel function directly on the active backend, `reps` times after one warm-up. */
function timeKernel(kernel: KernelFunc, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap, n: number): number {
  const backend = tf.backend();
  const once = () => {
    const t0 = performance.now();
    const out = kernel({ inputs, backend, attrs }) as TensorInfo;
    backend.readSync(out.dataId); // cpu/wasm are synchronous; this just makes sure
    const ms = performance.now() - t0;
    backend.disposeData(out.dataId);
    return ms;
  };
  once();
  return median(Array.from({ length: n }, once));
}

async function main(): Promise<void> {
  const stockWasmInput = tf.getKernel('Conv2DBackpropInput', 'wasm').kernelFunc; // before the override
  const stockCpu = await startBackends();
  const fast = (name: string, backend: string) => tf.getKernel(name, backend).kernelFunc;
  console.log(`batch ${batch}, median of ${reps}, ms per call`);
  console.log('shape | filter: stock cpu, fast cpu, fast wasm | input: stock cpu, fast cpu, stock wasm, fast wasm | fwd: cpu, wasm');
  for (const [label, c] of SHAPES) {
    const row: string[] = [];
    for (const backendName of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backendName);
      const x = tf.randomNormal(c.xShape);
      const w = tf.randomNormal(c.filterShape);
      const dy = tf.randomNormal(dyShapeOf(c));
      const fAttrs = filterAttrs(c);
      const iAttrs = inputAttrs(c);
      const slowReps = backendName === 'cpu' ? Math.min(reps, 3) : reps;
      const cells: Record<string, number> = {};
      if (backendName === 'cpu') {
        cells.filterStock = timeKernel(stockCpu.filter, { x, dy }, fAttrs, slowReps);
        cells.inputStock = timeKernel(stockCpu.input, { dy, filter: w }, iAttrs, slowReps);
      } else {
        cells.inputStock = timeKernel(stockWasmInput, { dy, filter: w }, iAttrs, reps);
      }
      cells.filterFast = timeKernel(fast('Conv2DBackpropFilter', backendName), { x, dy }, fAttrs, reps);
      cells.inputFast = timeKernel(fast('Conv2DBackpropInput', backendName), { dy, filter: w }, iAttrs, reps);
      const fwdAttrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1 } as NamedAttrMap;
      cells.forward = timeKernel(fast('Conv2D', backendName), { x, filter: w }, fwdAttrs, reps);
      row.push(JSON.stringify(Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, Number(v.toFixed(1))]))));
      tf.dispose([x, w, dy]);
    }
    console.log(`${label}: cpu ${row[0]} wasm ${row[1]}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
