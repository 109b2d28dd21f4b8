// Loaders for the backends that live in optional packages: libtensorflow through
// @tensorflow/tfjs-node(-gpu), and WebGPU through @tensorflow/tfjs-backend-webgpu + Dawn.
// Each either leaves its backend registered or throws an Error whose message says what is
// missing and how to get it; selectBackend collects those messages.
import * as tf from '@tensorflow/tfjs-core';
import { runtimeRequire } from './wasmBinaries';

export type TfjsNodePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

const INSTALL_HINT: Record<TfjsNodePackage, string> = {
  '@tensorflow/tfjs-node': 'npm install @tensorflow/tfjs-node (downloads libtensorflow at install time)',
  '@tensorflow/tfjs-node-gpu':
    'npm install @tensorflow/tfjs-node-gpu (needs CUDA 11.2 / cuDNN 8.1; downloads libtensorflow at install time)',
};

/** Which tfjs-node flavour registered the 'tensorflow' backend in this process; both use that name. */
let loadedTfjsNode: TfjsNodePackage | undefined;

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;
  return line.replace(/\.+$/, ''); // the caller adds its own punctuation
}

function isModuleNotFound(err: unknown, pkg: string): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'MODULE_NOT_FOUND' && (e.message ?? '').includes(pkg);
}

/** Loads @tensorflow/tfjs-node or -gpu so that the 'tensorflow' backend is registered. */
export function loadTfjsNode(pkg: TfjsNodePackage): void {
  if (loadedTfjsNode === pkg) return;
  if (loadedTfjsNode !== undefined) {
    throw new Error(`${pkg}: ${loadedTfjsNode} is already loaded in this process and both register 'tensorflow'; restart to switch`);
  }
  const req = runtimeRequire();
  try {
    req.resolve(pkg);
  } catch {
    throw new Error(`${pkg} is not installed: ${INSTALL_HINT[pkg]}`);
  }
  // The package registers its kernels before it loads the native addon, so a failed load
  // leaves them behind; remove them, or the next attempt warns once per kernel.
  const kernelsBefore = new Set(tf.getKernelsForBackend('tensorflow').map((k) => k.kernelName));
  try {
    req(pkg);
  } catch (err) {
    for (const k of tf.getKernelsForBackend('tensorflow')) {
      if (!kernelsBefore.has(k.kernelName)) tf.unregisterKernel(k.kernelName, 'tensorflow');
    }
    const detail = isModuleNotFound(err, '@tensorflow/tfjs')
      ? `a package it needs is missing (${firstLine(err)})`
      : firstLine(err);
    throw new Error(`${pkg} is installed but failed to load: ${detail}. Reinstall it with network access: ${INSTALL_HINT[pkg]}`);
  }
  loadedTfjsNode = pkg;
}

interface GpuAdapterLike {
  limits: Record<string, number>;
  requestDevice(descriptor?: object): Promise<unknown>;
  info?: unknown;
}
interface GpuLike {
  requestAdapter(options?: object): Promise<GpuAdapterLike | null>;
}

/**
 * Registers 'webgpu' on Node through the npm `webgpu` package (Dawn). The stock backend
 * registers itself only in browsers (it checks for `window`), so it is registered here the
 * same way it does it there. Not exercised on this project's machines, which lack both packages.
 */
export function loadWebGpu(): void {
  if (tf.findBackendFactory('webgpu') != null) return;
  const req = runtimeRequire();
  const problems: string[] = [];
  let dawn: { create(flags: string[]): GpuLike; globals: object } | undefined;
  let webgpuBackend: { WebGPUBackend: new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend } | undefined;
  try {
    dawn = req('webgpu');
  } catch (err) {
    problems.push(isModuleNotFound(err, 'webgpu')
      ? 'the npm package `webgpu` (Dawn for Node) is not installed: npm install webgpu'
      : `the npm package \`webgpu\` failed to load: ${firstLine(err)}`);
  }
  if (dawn !== undefined) {
    // The tfjs WebGPU backend uses the browser globals (GPUBufferUsage, ...) and navigator.gpu.
    Object.assign(globalThis, dawn.globals);
    const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: GpuLike };
    nav.gpu ??= dawn.create([]);
  }
  try {
    webgpuBackend = req('@tensorflow/tfjs-backend-webgpu');
  } catch (err) {
    problems.push(isModuleNotFound(err, '@tensorflow/tfjs-backend-webgpu')
      ? '@tensorflow/tfjs-backend-webgpu is not installed: npm install @tensorflow/tfjs-backend-webgpu@4.22.0'
      : `@tensorflow/tfjs-backend-webgpu failed to load: ${firstLine(err)}`);
  }
  if (problems.length > 0 || dawn === undefined || webgpuBackend === undefined) throw new Error(problems.join('; '));
  const { WebGPUBackend } = webgpuBackend;
  const gpu = (globalThis as { navigator: { gpu: GpuLike } }).navigator.gpu;
  tf.registerBackend('webgpu', async () => {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter === null) throw new Error('webgpu: no GPU adapter (Dawn found no Vulkan/Metal/D3D12 device)');
    const limitNames = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize'];
    const requiredLimits = Object.fromEntries(limitNames.map((name) => [name, adapter.limits[name]]));
    const device = await adapter.requestDevice({ requiredLimits });
    return new WebGPUBackend(device, adapter.info);
  });
}
