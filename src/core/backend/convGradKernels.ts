// Conv2D gradients expressed as forward convolutions, registered as the backend's own
// Conv2DBackpropFilter / Conv2DBackpropInput kernels.
//
// Why: the stock `cpu` Conv2DBackpropFilter is a scalar loop that takes ~89% of a training
// step, and `wasm` has no Conv2DBackpropFilter at all. Rewritten as forward Conv2D calls,
// both gradients run on the backend's best kernel (XNNPACK on wasm).
//
// Measured with test/unit/backend/convGradTiming.scratch.ts (batch 8, NHWC, 'same'; ms per
// call, median of 5; 2-core VM shared with other jobs, so ±30%; Node 20, tfjs 4.22,
// wasm single-threaded with SIMD):
//   shape (HxW Cin→Cout k s)   | filter grad: stock cpu / fast cpu / fast wasm | input grad: stock cpu / fast cpu / stock wasm / fast wasm
//   32x32 16→16 3x3 s1         | 3162 / 96 / 3.2                                | 44 / 80 / 27.1 / 2.0
//   32x32 16→32 3x3 s2         | 1805 / 51 / 1.6                                | 35 / 118 / 8.4 / 2.8
//   32x32 16→32 1x1 s2         |  165 / 25 / 1.0                                |  3 / 19 / 1.5 / 0.6
//   16x16 32→32 3x3 s1         | 4309 / 83 / 3.1                                | 73 / 103 / 30.4 / 2.4
//   8x8   64→64 3x3 s1         | 2893 / 52 / 2.1                                | 34 / 49 / 13.4 / 1.4
//   4x4 128→128 3x3 s1         | 2847 / 73 / 2.3                                | 43 / 58 / 12.4 / 2.3
// So by default the filter gradient is replaced on both backends (7–55× on cpu); the input
// gradient only on wasm (2.5–13× over its stock loop), while cpu keeps its stock input
// gradient, which is as fast or faster (the dilated conv wastes 3/4 of its work on zeros at
// stride 2). `options` can force either choice.
//
// Only NHWC with dilation 1 is rewritten (tfjs' conv2d gradient itself asserts dilation 1);
// NCHW falls back to the stock kernel where the backend has one.
import * as tf from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { BackendKernelScope } from './backendKernelCalls';
import { planFilterGradAxis, planInputGradAxis } from './convGradGeometry';

export type FastConvGradBackend = 'wasm' | 'cpu';
type Shape4 = [number, number, number, number];

/** Which gradients to replace; the defaults are the measured winners per backend. */
export interface FastConvGradOptions {
  filter?: boolean;
  input?: boolean;
}

const DEFAULTS: Record<FastConvGradBackend, Required<FastConvGradOptions>> = {
  wasm: { filter: true, input: true },
  cpu: { filter: true, input: false },
};

const KERNEL_NAMES = { filter: 'Conv2DBackpropFilter', input: 'Conv2DBackpropInput' } as const;

/** The kernels that were registered before ours, per backend, so they can be restored. */
const stockKernels = new Map<string, KernelConfig | undefined>();
const ourKernels = new Set<KernelFunc>();

export function registerFastConvGradients(backendName: FastConvGradBackend, options: FastConvGradOptions = {}): void {
  const wanted = { ...DEFAULTS[backendName], ...options };
  if (tf.getKernel('Conv2D', backendName) === undefined) {
    throw new Error(`Backend '${backendName}' has no Conv2D kernel: import @tensorflow/tfjs-backend-${backendName} first`);
  }
  for (const which of ['filter', 'input'] as const) {
    const kernelName = KERNEL_NAMES[which];
    if (!wanted[which]) {
      restoreKernel(kernelName, backendName);
      continue;
    }
    const key = `${kernelName}/${backendName}`;
    const existing = tf.getKernel(kernelName, backendName);
    // Remember the stock kernel once; a second registration must not capture our own.
    if (!stockKernels.has(key)) stockKernels.set(key, existing);
    if (existing !== undefined) {
      if (ourKernels.has(existing.kernelFunc)) continue;
      tf.unregisterKernel(kernelName, backendName);
    }
    const stock = stockKernels.get(key);
    const kernelFunc = (which === 'filter' ? makeFilterGradKernel : makeInputGradKernel)(backendName, stock);
    ourKernels.add(kernelFunc);
    tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
}

/** Puts back whatever was registered before `registerFastConvGradients` (nothing, for wasm's filter gradient). */
export function restoreStockConvGradients(backendName: FastConvGradBackend): void {
  restoreKernel(KERNEL_NAMES.filter, backendName);
  restoreKernel(KERNEL_NAMES.input, backendName);
}

function restoreKernel(kernelName: string, backendName: string): void {
  const key = `${kernelName}/${backendName}`;
  const current = tf.getKernel(kernelName, backendName);
  if (current === undefined || !ourKernels.has(current.kernelFunc)) return;
  tf.unregisterKernel(kernelName, backendName);
  const stock = stockKernels.get(key);
  if (stock !== undefined) tf.registerKernel(stock);
}

/** True when `backendName`'s conv gradient kernels are the forward-conv ones from this module. */
export function hasFastConvGradients(backendName: string): { filter: boolean; input: boolean } {
  const isOurs = (name: string) => {
    const k = tf.getKernel(name, backendName);
    return k !== undefined && ourKernels.has(k.kernelFunc);
  };
  return { filter: isOurs(KERNEL_NAMES.filter), input: isOurs(KERNEL_NAMES.input) };
}

type KernelArgs = Parameters<KernelFunc>[0];

/** Fails loudly on what the rewrite does not cover; returns true when the stock kernel should run instead. */
function needsStockKernel(kernelName: string, attrs: NamedAttrMap, stock: KernelConfig | undefined): boolean {
  const dilations = attrs.dilations as number | number[] | undefined;
  if (dilations !== undefined && [dilations].flat().some((d) => d !== 1)) {
    throw new Error(`${kernelName}: dilations other than 1 are not supported (got ${JSON.stringify(dilations)})`);
  }
  if (attrs.dataFormat === 'NCHW') {
    if (stock !== undefined) return true;
    throw new Error(`${kernelName}: dataFormat NCHW is not supported on this backend; use NHWC`);
  }
  return false;
}

function makeFilterGradKernel(backendName: string, stock: KernelConfig | undefined): KernelFunc {
  return (args: KernelArgs) => {
    const attrs = (args.attrs ?? {}) as unknown as Conv2DBackpropFilterAttrs & NamedAttrMap;
    if (needsStockKernel(KERNEL_NAMES.filter, attrs, stock)) return stock!.kernelFunc(args);
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    return inScope(args, backendName, (scope) => filterGradient(scope, x, dy, attrs));
  };
}

function makeInputGradKernel(backendName: string, stock: KernelConfig | undefined): KernelFunc {
  return (args: KernelArgs) => {
    const attrs = (args.attrs ?? {}) as unknown as Conv2DBackpropInputAttrs & NamedAttrMap;
    if (needsStockKernel(KERNEL_NAMES.input, attrs, stock)) return stock!.kernelFunc(args);
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    return inScope(args, backendName, (scope) => inputGradient(scope, dy, filter, attrs));
  };
}

/** Runs a gradient in a kernel scope: its result is kept, every intermediate freed, also on error. */
function inScope(args: KernelArgs, backendName: string, compute: (scope: BackendKernelScope) => TensorInfo): TensorInfo {
  const scope = new BackendKernelScope(args.backend as KernelBackend, backendName);
  try {
    return scope.finish(compute(scope));
  } catch (err) {
    scope.abandon();
    throw err;
  }
}

function convInfoFor(xShape: Shape4, filterShape: Shape4, attrs: Conv2DBackpropFilterAttrs | Conv2DBackpropInputAttrs, dy: TensorInfo) {
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  if (info.outShape.some((d, i) => d !== dy.shape[i])) {
    throw new Error(`conv2d gradient: dy has shape [${dy.shape}] but the forward conv yields [${info.outShape}]`);
  }
  return info;
}

/** x (N,H,W,Cin), dy (N,Ho,Wo,Cout) → dW (kh,kw,Cin,Cout). */
function filterGradient(scope: BackendKernelScope, x: TensorInfo, dy: TensorInfo, attrs: Conv2DBackpropFilterAttrs): TensorInfo {
  const info = convInfoFor(x.shape as Shape4, attrs.filterShape, attrs, dy);
  const { filterHeight: kh, filterWidth: kw, inChannels, outChannels, strideHeight, strideWidth } = info;
  const rows = planFilterGradAxis(info.inHeight, kh, strideHeight, info.padInfo.top, info.outHeight);
  const cols = planFilterGradAxis(info.inWidth, kw, strideWidth, info.padInfo.left, info.outWidth);
  // Batch becomes the channel axis that the conv sums over; input channels become the batch.
  const xAsInput = scope.transpose(x, [3, 1, 2, 0]); // (Cin,H,W,N)
  const dyAsFilter = scope.transpose(dy, [1, 2, 0, 3]); // (Ho,Wo,N,Cout)
  const conv = scope.run(
    'Conv2D',
    { x: xAsInput, filter: dyAsFilter },
    {
      strides: [1, 1],
      dilations: [strideHeight, strideWidth],
      pad: [
        [0, 0],
        [rows.padBefore, rows.padAfter],
        [cols.padBefore, cols.padAfter],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  ); // (Cin, rows.outSize, cols.outSize, Cout)
  const cropped = scope.slice(conv, [0, 0, 0, 0], [inChannels, kh, kw, outChannels]);
  return scope.transpose(cropped, [1, 2, 0, 3]);
}

/** dy (N,Ho,Wo,Cout), W (kh,kw,Cin,Cout) → dx (N,H,W,Cin). */
function inputGradient(scope: BackendKernelScope, dy: TensorInfo, filter: TensorInfo, attrs: Conv2DBackpropInputAttrs): TensorInfo {
  const info = convInfoFor(attrs.inputShape, filter.shape as Shape4, attrs, dy);
  const { batchSize: n, filterHeight: kh, filterWidth: kw, inChannels, outChannels, strideHeight: sh, strideWidth: sw } = info;
  const rows = planInputGradAxis(info.inHeight, kh, sh, info.padInfo.top, info.outHeight);
  const cols = planInputGradAxis(info.inWidth, kw, sw, info.padInfo.left, info.outWidth);
  if (rows.keptSize === 0 || cols.keptSize === 0) {
    // Every dx position falls between strides or in padding only: the gradient is zero.
    return scope.run('Fill', {}, { shape: info.inShape, value: 0, dtype: 'float32' });
  }
  let spread = dy;
  if (sh > 1 || sw > 1) {
    // Insert stride−1 zeros after every dy value: (N,Ho,1,Wo,1,C) padded to (N,Ho,sh,Wo,sw,C).
    const split = scope.reshape(dy, [n, info.outHeight, 1, info.outWidth, 1, outChannels]);
    const padded = scope.run(
      'PadV2',
      { x: split },
      {
        paddings: [
          [0, 0],
          [0, 0],
          [0, sh - 1],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    spread = scope.reshape(padded, [n, rows.dilatedSize, cols.dilatedSize, outChannels]);
  }
  const kept = scope.slice(spread, [0, rows.cropBefore, cols.cropBefore, 0], [n, rows.keptSize, cols.keptSize, outChannels]);
  const swapped = flipAndSwapFilter(scope, filter); // (kh,kw,Cout,Cin)
  const dx = scope.run(
    'Conv2D',
    { x: kept, filter: swapped },
    {
      strides: [1, 1],
      dilations: [1, 1],
      pad: [
        [0, 0],
        [rows.padBefore, rows.padAfter],
        [cols.padBefore, cols.padAfter],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  );
  if (dx.shape[1] !== info.inHeight || dx.shape[2] !== info.inWidth || dx.shape[3] !== inChannels) {
    throw new Error(`conv2d input gradient: internal shape mismatch [${dx.shape}] vs [${info.inShape}]`);
  }
  return dx;
}

/**
 * (kh,kw,Cin,Cout) → (kh,kw,Cout,Cin) with both spatial axes reversed. The channel swap is
 * the backend's Transpose; the spatial flip reverses the order of the kh·kw contiguous
 * (Cout,Cin) blocks, done as block copies in JS. Measured on wasm for 3×3×128×128: its
 * Reverse and GatherV2 copy element by element (6–7 ms); Slice + Concat re-reads the whole
 * input per slice (5 ms); the block copy takes well under 1 ms.
 */
function flipAndSwapFilter(scope: BackendKernelScope, filter: TensorInfo): TensorInfo {
  const [kh, kw, cin, cout] = filter.shape;
  const swapped = scope.transpose(filter, [0, 1, 3, 2]);
  const taps = kh * kw;
  if (taps === 1) return swapped;
  const w = scope.hostValues(swapped);
  const out = new Float32Array(w.length);
  const block = cin * cout;
  for (let tap = 0; tap < taps; tap++) {
    const src = (taps - 1 - tap) * block; // (kh−1−i, kw−1−j) is tap index taps−1−tap
    out.set(w.subarray(src, src + block), tap * block);
  }
  return scope.write(out, [kh, kw, cout, cin]);
}
