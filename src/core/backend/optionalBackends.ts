// Loaders for the backends that live in optional packages: libtensorflow through
// @tensorflow/tfjs-node(-gpu), and WebGPU through @tensorflow/tfjs-backend-webgpu + Dawn.
// Each either leaves its backend registered or throws an Error whose message says what is
// missing and how to get it; selectBackend collects those messages.
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { runtimeRequire } from '../runtimeRequire';

export type TfjsNodePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

const INSTALL_HINT: Record<TfjsNodePackage, string> = {
  '@tensorflow/tfjs-node': 'npm install @tensorflow/tfjs-node (downloads libtensorflow at install time)',
  '@tensorflow/tfjs-node-gpu': 'npm install @tensorflow/tfjs-node-gpu (needs CUDA 11.2 / cuDNN 8.1; downloads libtensorflow at install time)',
};

/** Which tfjs-node flavour registered the 'tensorflow' backend in this process; both use that name. */
let loadedTfjsNode: TfjsNodePackage | undefined;

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line =
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? text;
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
    const detail = isModuleNotFound(err, '@tensorflow/tfjs') ? `a package it needs is missing (${firstLine(err)})` : firstLine(err);
    throw new Error(`${pkg} is installed but failed to load: ${detail}. Reinstall it with network access: ${INSTALL_HINT[pkg]}`, { cause: err });
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

/** Adapter descriptions of software renderers: slower than wasm, so 'auto' passes them over. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software|microsoft basic render/i;

/** What Dawn says of an adapter, in one line, e.g. "nvidia ampere NVIDIA H100 (discrete GPU)". */
function describeAdapter(adapter: GpuAdapterLike): string {
  const info = (adapter.info ?? {}) as Record<string, unknown>;
  const parts = ['vendor', 'architecture', 'device', 'description'].map((k) => info[k]).filter((v) => typeof v === 'string' && v !== '');
  const type = typeof info.adapterType === 'string' ? ` (${info.adapterType})` : '';
  return `${parts.join(' ') || 'unnamed adapter'}${type}`;
}

export interface WebGpuOptions {
  /** Refuse software adapters (lavapipe, SwiftShader): what 'auto' wants, since wasm beats them. */
  hardwareOnly?: boolean;
}

/** Where a GPU could be on this machine; Linux exposes one as a device node. Elsewhere: assume maybe. */
export function gpuDeviceNodes(exists: (p: string) => boolean = fs.existsSync, platform: string = process.platform): string[] | null {
  if (platform !== 'linux') return null;
  return ['/dev/nvidia0', '/dev/dri'].filter((p) => exists(p));
}

let webGpuOptions: WebGpuOptions = {};

/**
 * Registers 'webgpu' on Node through the npm `webgpu` package (Dawn over Vulkan, Metal or
 * D3D12: no CUDA needed). The stock backend registers itself only in browsers (it checks for
 * `window`), so it is registered here the same way it does it there. On this project's
 * machines the packages load but Dawn finds no adapter (no GPU, no Vulkan).
 */
export function loadWebGpu(options: WebGpuOptions = {}): void {
  webGpuOptions = options;
  if (tf.findBackendFactory('webgpu') != null) return;
  const req = runtimeRequire();
  const problems: string[] = [];
  // Optional packages, typed by the part of them used here.
  let dawn: { create(flags: string[]): GpuLike; globals: object } | undefined;
  let webgpuBackend: { WebGPUBackend: new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend } | undefined;
  // The backend package first: on import it registers its own factory when navigator.gpu
  // exists, one that fails on a null adapter; ours (below) checks the adapter.
  try {
    webgpuBackend = req('@tensorflow/tfjs-backend-webgpu') as typeof webgpuBackend;
  } catch (err) {
    problems.push(
      isModuleNotFound(err, '@tensorflow/tfjs-backend-webgpu')
        ? '@tensorflow/tfjs-backend-webgpu is not installed: npm install @tensorflow/tfjs-backend-webgpu@4.22.0'
        : `@tensorflow/tfjs-backend-webgpu failed to load: ${firstLine(err)}`,
    );
  }
  try {
    dawn = req('webgpu') as typeof dawn;
  } catch (err) {
    problems.push(isModuleNotFound(err, 'webgpu') ? 'the npm package `webgpu` (Dawn for Node) is not installed: npm install webgpu' : `the npm package \`webgpu\` failed to load: ${firstLine(err)}`);
  }
  let gpu: GpuLike | undefined;
  if (dawn !== undefined) {
    // The tfjs WebGPU backend uses the browser globals (GPUBufferUsage, ...) and navigator.gpu.
    Object.assign(globalThis, dawn.globals);
    const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: GpuLike };
    gpu = nav.gpu ??= dawn.create([]);
  }
  if (problems.length > 0 || gpu === undefined || webgpuBackend === undefined) throw new Error(problems.join('; '));
  const { WebGPUBackend } = webgpuBackend;
  tf.registerBackend('webgpu', async () => {
    webGpuFailure = undefined;
    try {
      return await createWebGpuBackend(gpu, WebGPUBackend);
    } catch (err) {
      // tf.setBackend only logs a factory's error and returns false: keep the reason for the caller.
      webGpuFailure = err instanceof Error ? err.message : String(err);
      throw err;
    }
  });
}

async function createWebGpuBackend(gpu: GpuLike, WebGPUBackend: new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend): Promise<tf.KernelBackend> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new Error('no GPU adapter (Dawn found no Vulkan/Metal/D3D12 device)');
  const described = describeAdapter(adapter);
  if (webGpuOptions.hardwareOnly && ((adapter.info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter || SOFTWARE_ADAPTER.test(described))) {
    throw new Error(`only a software adapter (${described}), slower than wasm`);
  }
  const limitNames = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize'];
  const requiredLimits = Object.fromEntries(limitNames.map((name) => [name, adapter.limits[name]]));
  const device = await adapter.requestDevice({ requiredLimits });
  webGpuAdapter = described;
  return new WebGPUBackend(device, adapter.info);
}

let webGpuAdapter: string | undefined;
let webGpuFailure: string | undefined;

/** Why the webgpu backend's factory failed last, if it did. */
export function webGpuFailureReason(): string | undefined {
  return webGpuFailure;
}

/** The adapter the webgpu backend runs on, once it has started. */
export function webGpuAdapterDescription(): string | undefined {
  return webGpuAdapter;
}
