// The torch backend's kernels. Those our training, evaluation and diagnostics use (the census in
// test/unit/backend/torchKernels.test.ts) run in libtorch; every other kernel tfjs-backend-cpu
// has runs through `fallback`, which copies the inputs to a private cpu backend and the outputs
// back: correct for everything, fast only for what is native.
import * as tf from '@tensorflow/tfjs-core';
// tfjs' own ReLU gradient must be registered before fuseReluGradient wraps it.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { BN_BACKWARD, BN_FORWARD } from '../fusedKernels';
import { fastPaths } from '../fastPaths';
import { dtypeCode, TORCH_BACKEND, TorchBackend } from './torchBackend';
import type { TorchNative } from './torchAddon';

/** dy · step(x): ReLU's gradient as one kernel (registered for the torch backend only). */
const RELU_GRAD = 'LossLabReluGrad';

type Args = Parameters<KernelFunc>[0];
type Inputs = Record<string, TensorInfo>;
type Kernel = (b: TorchBackend, inputs: Inputs, attrs: NamedAttrMap, args: Args) => TensorInfo | TensorInfo[];

function fallback(config: KernelConfig): KernelFunc {
  return (args: Args) => {
    const b = args.backend as TorchBackend;
    const cpu = b.cpu();
    const created: object[] = [];
    const move = (t: TensorInfo): TensorInfo => {
      const dataId = cpu.write(b.readSync(t.dataId), t.shape, t.dtype);
      created.push(dataId);
      return { dataId, shape: t.shape, dtype: t.dtype };
    };
    const inputs = Array.isArray(args.inputs) ? (args.inputs as TensorInfo[]).map(move) : Object.fromEntries(Object.entries(args.inputs).map(([k, t]) => [k, t && move(t)]));
    const out = config.kernelFunc({ inputs: inputs as Args['inputs'], attrs: args.attrs, backend: cpu });
    const outs = (Array.isArray(out) ? out : [out]).map((o) => {
      const info = { dataId: b.write(cpu.readSync(o.dataId), o.shape, o.dtype), shape: o.shape, dtype: o.dtype };
      cpu.disposeData(o.dataId, true);
      return info;
    });
    for (const dataId of created) cpu.disposeData(dataId, true);
    return Array.isArray(out) ? outs : outs[0];
  };
}

function pads(info: { padInfo: { top: number; bottom: number; left: number; right: number } }): number[] {
  const p = info.padInfo;
  return [p.top, p.bottom, p.left, p.right];
}

/** Kernels whose attributes the native path does not cover hand over to the cpu fallback. */
class NotNative extends Error {}

function axes(axis: number | number[] | null | undefined, shape: number[]): number[] {
  // tfjs' null axis means every axis.
  return axis == null ? shape.map((_, i) => i) : tf.util.parseAxisParam(axis, shape);
}

function nativeKernels(n: TorchNative): Record<string, Kernel> {
  const k: Record<string, Kernel> = {};
  n.unaryOps.forEach((name, code) => {
    k[name] = (b, { x }, attrs) => b.out(n.unary(code, b.id(x), (attrs.alpha as number | undefined) ?? 0));
  });
  n.binaryOps.forEach((name, code) => {
    k[name] = name === 'Prelu' ? (b, { x, alpha }) => b.out(n.binary(code, b.id(x), b.id(alpha))) : (b, { a, b: bb }) => b.out(n.binary(code, b.id(a), b.id(bb)));
  });
  // tfjs' FloorDiv always answers int32, whatever its inputs.
  const floorDiv = k.FloorDiv;
  k.FloorDiv = (b, inputs, attrs, args) => {
    const out = floorDiv(b, inputs, attrs, args) as TensorInfo;
    if (out.dtype === 'int32') return out;
    const cast = b.out(n.cast(b.id(out), dtypeCode('int32')));
    b.disposeData(out.dataId);
    return cast;
  };
  const reduceCode = (name: string) => n.reduceOps.indexOf(name);
  for (const name of n.reduceOps) {
    const code = reduceCode(name);
    const axisAttr = name === 'Max' ? 'reductionIndices' : 'axis'; // tfjs' Max alone names it so
    k[name] = (b, { x }, attrs) => b.out(n.reduce(code, b.id(x), axes(attrs[axisAttr] as number[], x.shape), Boolean(attrs.keepDims)));
  }
  k.Identity = (b, { x }) => b.share(x);
  k.Cast = (b, { x }, attrs) => {
    const dtype = attrs.dtype as tf.DataType;
    if (dtype === x.dtype) return b.share(x);
    if (dtype === 'complex64' || dtype === 'string') throw new NotNative();
    return b.out(n.cast(b.id(x), dtypeCode(dtype)));
  };
  k.Reshape = (b, { x }, attrs) => b.out(n.reshape(b.id(x), tf.util.inferFromImplicitShape(attrs.shape as number[], tf.util.sizeFromShape(x.shape))));
  k.Transpose = (b, { x }, attrs) => b.out(n.permute(b.id(x), attrs.perm as number[]));
  k.Slice = (b, { x }, attrs) => {
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
    return b.out(n.slice(b.id(x), begin, size));
  };
  k.Concat = (b, inputs, attrs) => {
    const list = Object.values<TensorInfo>(inputs);
    const axis = axes(attrs.axis as number, list[0].shape)[0];
    if (list.length === 1) return b.share(list[0]);
    return b.out(
      n.concat(
        list.map((t) => b.id(t)),
        axis,
      ),
    );
  };
  k.AddN = (b, inputs) => {
    const list = Object.values<TensorInfo>(inputs);
    return list.length === 1 ? b.share(list[0]) : b.out(n.addN(list.map((t) => b.id(t))));
  };
  k.PadV2 = (b, { x }, attrs) => b.out(n.pad(b.id(x), (attrs.paddings as [number, number][]).flat(), attrs.constantValue as number));
  k.Tile = (b, { x }, attrs) => b.out(n.tile(b.id(x), attrs.reps as number[]));
  k.Reverse = (b, { x }, attrs) => b.out(n.reverse(b.id(x), axes(attrs.dims as number[], x.shape)));
  k.Fill = (b, _inputs, attrs) => b.out(n.fill(attrs.shape as number[], attrs.value as number, dtypeCode((attrs.dtype as tf.DataType) ?? 'float32')));
  k.ZerosLike = (b, { x }) => b.out(n.fill(x.shape, 0, dtypeCode(x.dtype)));
  k.OnesLike = (b, { x }) => b.out(n.fill(x.shape, 1, dtypeCode(x.dtype)));
  k.Select = (b, { condition, t, e }) => b.out(n.select(b.id(condition), b.id(t), b.id(e)));
  k.ClipByValue = (b, { x }, attrs) => b.out(n.clip(b.id(x), attrs.clipValueMin as number, attrs.clipValueMax as number));
  k.ArgMax = (b, { x }, attrs) => b.out(n.argReduce(true, b.id(x), axes(attrs.axis as number, x.shape)[0]));
  k.ArgMin = (b, { x }, attrs) => b.out(n.argReduce(false, b.id(x), axes(attrs.axis as number, x.shape)[0]));
  k.Softmax = (b, { logits }, attrs) => b.out(n.softmax(b.id(logits), axes(attrs.dim as number, logits.shape)[0]));
  k.BatchMatMul = (b, { a, b: bb }, attrs) => b.out(n.matmul(b.id(a), b.id(bb), Boolean(attrs.transposeA), Boolean(attrs.transposeB)));
  k.OneHot = (b, { indices }, attrs) => b.out(n.oneHot(b.id(indices), attrs.depth as number, attrs.onValue as number, attrs.offValue as number, dtypeCode(attrs.dtype as tf.DataType)));
  k.GatherV2 = (b, { x, indices }, attrs) => {
    if (attrs.batchDims) throw new NotNative();
    return b.out(n.gather(b.id(x), b.id(indices), axes(attrs.axis as number, x.shape)[0]));
  };

  const nhwc = (attrs: NamedAttrMap) => {
    if (attrs.dataFormat === 'NCHW') throw new NotNative();
  };
  k.Conv2D = (b, { x, filter }, attrs) => {
    nhwc(attrs);
    const info = tf.backend_util.computeConv2DInfo(x.shape as never, filter.shape as never, attrs.strides as never, attrs.dilations as never, attrs.pad as never, attrs.dimRoundingMode as never);
    return b.out(n.conv2d(b.id(x), b.id(filter), [info.strideHeight, info.strideWidth], pads(info), [info.dilationHeight, info.dilationWidth]));
  };
  k.Conv2DBackpropInput = (b, { dy, filter }, attrs) => {
    nhwc(attrs);
    const inputShape = attrs.inputShape as number[];
    const info = tf.backend_util.computeConv2DInfo(inputShape as never, filter.shape as never, attrs.strides as never, 1, attrs.pad as never, attrs.dimRoundingMode as never);
    return b.out(n.conv2dGradInput(b.id(dy), b.id(filter), inputShape, [info.strideHeight, info.strideWidth], pads(info), [1, 1]));
  };
  k.Conv2DBackpropFilter = (b, { x, dy }, attrs) => {
    nhwc(attrs);
    const filterShape = attrs.filterShape as number[];
    const info = tf.backend_util.computeConv2DInfo(x.shape as never, filterShape as never, attrs.strides as never, 1, attrs.pad as never, attrs.dimRoundingMode as never);
    return b.out(n.conv2dGradFilter(b.id(x), b.id(dy), filterShape, [info.strideHeight, info.strideWidth], pads(info), [1, 1]));
  };
  const poolInfo = (shape: number[], attrs: NamedAttrMap) =>
    tf.backend_util.computePool2DInfo(shape as never, attrs.filterSize as never, attrs.strides as never, 1, attrs.pad as never, attrs.dimRoundingMode as never);
  k.MaxPool = (b, { x }, attrs) => {
    const info = poolInfo(x.shape, attrs);
    return b.out(n.maxPool(b.id(x), [info.filterHeight, info.filterWidth], [info.strideHeight, info.strideWidth], pads(info), [1, 1]));
  };
  k.MaxPoolGrad = (b, { dy, input, output }, attrs) => {
    const info = poolInfo(input.shape, attrs);
    return b.out(n.maxPoolGrad(b.id(dy), b.id(input), b.id(output), [info.filterHeight, info.filterWidth], [info.strideHeight, info.strideWidth], pads(info), [1, 1]));
  };

  k[RELU_GRAD] = (b, { dy, x }) => b.out(n.reluGrad(b.id(dy), b.id(x)));

  // Loss Lab's fused batch norm (nn/batchNorm.ts): ATen's own batch-norm kernels.
  const optional = (b: TorchBackend, t: TensorInfo | undefined) => (t ? b.id(t) : -1);
  k[BN_FORWARD] = (b, { x, gamma, beta }, attrs) => b.outs(n.batchNormForward(b.id(x), optional(b, gamma), optional(b, beta), attrs.eps as number));
  k[BN_BACKWARD] = (b, { dy, x, mean, variance, gamma }, attrs) => b.outs(n.batchNormBackward(b.id(dy), b.id(x), b.id(mean), b.id(variance), optional(b, gamma), attrs.eps as number));
  return k;
}

/**
 * ReLU's gradient as RELU_GRAD on the torch backend, the one kernel where tfjs' own gradient
 * runs Step then Multiply; on every other backend, and for other dtypes, tfjs' own gradient.
 */
function fuseReluGradient(): void {
  const stock = tf.getGradient(tf.Relu);
  if (!stock) return;
  tf.registerGradient({
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const single = !Array.isArray(dy) && dy.dtype === 'float32' && x.dtype === 'float32';
      if (!single || !fastPaths.fusedReluGrad || tf.getBackend() !== TORCH_BACKEND) return stock.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel<tf.Tensor>(RELU_GRAD, { dy, x }) };
    },
  });
}

/** Kernel names that run in libtorch (the rest fall back to the cpu kernels). */
export let NATIVE_KERNELS: readonly string[] = [];

let registered = false;

/** Registers every kernel for the torch backend: native where we have one, the cpu fallback elsewhere. */
export function registerTorchKernels(native: TorchNative): void {
  if (registered) return;
  registered = true;
  const natives = nativeKernels(native);
  NATIVE_KERNELS = Object.keys(natives);
  fuseReluGradient();
  const cpuKernels = new Map(tf.getKernelsForBackend('cpu').map((c) => [c.kernelName, c]));
  for (const [kernelName, kernel] of Object.entries(natives)) {
    const stock = cpuKernels.get(kernelName);
    const slow = stock ? fallback(stock) : undefined;
    const kernelFunc: KernelFunc = (args: Args) => {
      try {
        return kernel(args.backend as TorchBackend, args.inputs as Inputs, args.attrs ?? {}, args);
      } catch (err) {
        if (err instanceof NotNative && slow) return slow(args);
        throw err;
      }
    };
    tf.registerKernel({ kernelName, backendName: TORCH_BACKEND, kernelFunc });
  }
  for (const [kernelName, config] of cpuKernels) {
    if (!(kernelName in natives)) tf.registerKernel({ kernelName, backendName: TORCH_BACKEND, kernelFunc: fallback(config) });
  }
}
