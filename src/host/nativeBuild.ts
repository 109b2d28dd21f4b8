// Builds the native engine (native/torch/losslab_torch.cc) against the libtorch this machine has,
// into the folder the runtime looks in (libtorch.ts addonDir). Shared by `losslab build-native`,
// `npm run build:native` and the extension's "Loss Lab: Build Native Engine".
//
// The compiler is called directly rather than through node-gyp: one source file, flags that
// depend only on where libtorch is, and no Python/gyp step, so the extension can build with
// nothing but a C++ compiler; node-gyp would add a Makefile tree and, without --nodedir, a
// header download. The flags are the ones node-gyp would pass for a Node-API module.
import { execFileSync, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clearNativeCrash, recordedNativeCrash } from '../core/backend/torch/crashMarker';
import { ADDON_API_VERSION, ADDON_FILE, addonDir, describeLibtorch, Libtorch, locateLibtorch } from '../core/backend/torch/libtorch';
import { formatDuration } from '../core/util/duration';

const SOURCE_FILE = 'losslab_torch.cc';
const NODEDIR_ENV = 'LOSSLAB_NODEDIR';

/** A missing piece, with what to do about it; `piece` names it for the UI. */
export class NativeBuildError extends Error {
  constructor(
    readonly piece: 'libtorch' | 'compiler' | 'node-headers' | 'addon-headers' | 'source' | 'compile' | 'load' | 'platform',
    message: string,
  ) {
    super(message);
  }
}

export interface NativeBuildOptions {
  /** Rebuild even when an up-to-date build exists. */
  force?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Stage messages ("compiling …"), for a progress bar or notification. */
  progress?: (message: string) => void;
}

export interface NativeBuildResult {
  file: string;
  libtorch: Libtorch;
  /** False when an up-to-date build was already there. */
  built: boolean;
  seconds: number;
}

interface BuildRecord {
  sourceHash: string;
  /** Whether the engine's CUDA code paths were compiled in. */
  cudaCodePaths?: boolean;
  libtorch: Libtorch;
  compiler: string;
  builtAt: string;
}

function firstExisting(candidates: (string | undefined)[], probe: string): string | undefined {
  return candidates.find((c): c is string => !!c && fs.existsSync(path.join(c, probe)));
}

/** The folder holding losslab_torch.cc: dist/native in a bundle, native/torch in the repository. */
function nativeSourceDir(): string {
  const dir = firstExisting([path.join(__dirname, 'native'), path.join(__dirname, '..', '..', 'native', 'torch'), path.join(process.cwd(), 'native', 'torch')], SOURCE_FILE);
  if (!dir) throw new NativeBuildError('source', `${SOURCE_FILE} not found next to ${__dirname}: reinstall Loss Lab`);
  return dir;
}

function findCompiler(env: NodeJS.ProcessEnv): { cxx: string; version: string } {
  const tried: string[] = [];
  for (const cxx of [env.CXX, 'c++', 'g++', 'clang++'].filter((c): c is string => !!c)) {
    try {
      const version = execFileSync(cxx, ['--version'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')[0]
        .trim();
      return { cxx, version };
    } catch {
      tried.push(cxx);
    }
  }
  const how = process.platform === 'darwin' ? 'xcode-select --install' : "apt-get install g++ (or your distribution's C++ compiler)";
  throw new NativeBuildError('compiler', `no C++ compiler found (tried ${tried.join(', ')}): ${how}, or set CXX`);
}

/** Node's own headers (node_api.h): $LOSSLAB_NODEDIR, npm's nodedir, next to this Node, next to the `node` on PATH, node-gyp's cache. */
function findNodeHeaders(env: NodeJS.ProcessEnv): string {
  const candidates: (string | undefined)[] = [env[NODEDIR_ENV], env.npm_config_nodedir].map((d) => d && path.join(d, 'include', 'node'));
  candidates.push(path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node'));
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'node'))) candidates.push(path.join(path.dirname(dir), 'include', 'node'));
  }
  const gypCache = path.join(os.homedir(), '.cache', 'node-gyp');
  try {
    for (const v of fs.readdirSync(gypCache)) candidates.push(path.join(gypCache, v, 'include', 'node'));
  } catch {
    // no node-gyp cache
  }
  const found = firstExisting(candidates, 'node_api.h');
  if (!found) {
    throw new NativeBuildError(
      'node-headers',
      `Node.js headers (node_api.h) not found; looked in ${[...new Set(candidates.filter(Boolean))].join(', ')}. Install Node.js with its headers (they ship with the official packages and Debian's nodejs), or set ${NODEDIR_ENV} to a folder with include/node`,
    );
  }
  return found;
}

/** node-addon-api's napi.h: copied next to the source in a bundle, else the npm package. */
function findAddonHeaders(sourceDir: string): string {
  const candidates = [path.join(sourceDir, 'node-addon-api')];
  try {
    candidates.push(path.dirname(require.resolve('node-addon-api/napi.h')));
  } catch {
    // not installed: the bundled copy decides
  }
  const found = firstExisting(candidates, 'napi.h');
  if (!found) throw new NativeBuildError('addon-headers', `node-addon-api headers (napi.h) not found in ${candidates.join(', ')}: run npm install`);
  return found;
}

/** The CUDA runtime the engine's CUDA code paths compile and link against. */
interface CudaRuntime {
  includeDir: string;
  /** libcudart itself (a pip package has only libcudart.so.NN). */
  library: string;
}

/**
 * The CUDA runtime for a CUDA libtorch: a pip build's nvidia packages beside torch, then a CUDA
 * toolkit (CUDA_HOME, CUDA_PATH, /usr/local/cuda). A folder counts only with the whole runtime
 * header set (cuda_runtime_api.h needs crt/, which not every pip install has) and libcudart.
 */
function findCudaRuntime(lib: Libtorch, env: NodeJS.ProcessEnv): CudaRuntime | undefined {
  const roots: string[] = [];
  if (lib.source !== 'debian') {
    const nvidia = path.join(path.dirname(lib.where), 'nvidia');
    try {
      // CUDA 13 wheels: nvidia/cuNN/{include,lib}; CUDA 12 wheels: nvidia/cuda_runtime/{include,lib}.
      for (const d of fs.readdirSync(nvidia).sort().reverse()) roots.push(path.join(nvidia, d));
    } catch {
      // not a pip layout
    }
  }
  for (const home of [env.CUDA_HOME, env.CUDA_PATH, '/usr/local/cuda']) if (home) roots.push(home);
  for (const root of roots) {
    const includeDir = path.join(root, 'include');
    if (!fs.existsSync(path.join(includeDir, 'cuda_runtime_api.h')) || !fs.existsSync(path.join(includeDir, 'crt', 'host_defines.h'))) continue;
    for (const libDir of ['lib64', 'lib'].map((d) => path.join(root, d))) {
      let names: string[];
      try {
        names = fs.readdirSync(libDir);
      } catch {
        continue;
      }
      const so = names.filter((n) => /^libcudart\.so(\.\d+)?$/.test(n)).sort()[0];
      if (so) return { includeDir, library: path.join(libDir, so) };
    }
  }
  return undefined;
}

function compileArgs(lib: Libtorch, source: string, out: string, includes: string[], cuda: CudaRuntime | undefined): string[] {
  const libs = ['torch', 'torch_cpu', 'c10', 'torch_cuda', 'c10_cuda'].filter((l) => l.endsWith('cuda') === false || fs.existsSync(path.join(lib.libDir, `lib${l}.so`)));
  const args = ['-O2', `-std=${lib.cxxStandard}`, '-fPIC', '-shared', '-fvisibility=hidden', '-Wno-deprecated-declarations'];
  if (cuda) args.push('-DLOSSLAB_WITH_CUDA', '-isystem', cuda.includeDir);
  args.push('-DNAPI_VERSION=8', '-DNAPI_CPP_EXCEPTIONS', '-DNODE_ADDON_API_DISABLE_DEPRECATED', `-DLOSSLAB_ADDON_API_VERSION=${ADDON_API_VERSION}`);
  if (process.platform === 'linux') args.push(`-D_GLIBCXX_USE_CXX11_ABI=${lib.cxx11Abi ? 1 : 0}`);
  for (const inc of [...lib.includeDirs, ...includes]) args.push('-I', inc);
  args.push(source, '-o', out, `-L${lib.libDir}`, `-Wl,-rpath,${lib.libDir}`);
  if (process.platform === 'darwin') args.push('-undefined', 'dynamic_lookup');
  // Keep libtorch_cuda linked though no symbol of it is used directly: it registers the CUDA device.
  if (process.platform === 'linux') args.push('-Wl,--no-as-needed');
  args.push(...libs.map((l) => `-l${l}`));
  if (cuda) args.push(cuda.library, `-Wl,-rpath,${path.dirname(cuda.library)}`);
  return args;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => resolve({ code: -1, output: err.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** The first compiler error lines, without the include-chain noise. */
function compilerErrors(output: string): string {
  const errors = output.split('\n').filter((l) => /error/i.test(l));
  return (errors.length ? errors : output.split('\n')).slice(0, 5).join('\n');
}

/** Loads the built file in a fresh Node-compatible process, as the worker will. */
function checkLoads(file: string, env: NodeJS.ProcessEnv): void {
  try {
    execFileSync(process.execPath, ['-e', `const m = require(${JSON.stringify(file)}); if (m.apiVersion !== ${ADDON_API_VERSION}) process.exit(3);`], {
      env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
  } catch (err) {
    const stderr =
      String((err as { stderr?: string }).stderr ?? '')
        .split('\n')
        .find((l) => l.trim()) ?? (err as Error).message;
    throw new NativeBuildError('load', `the engine was built but does not load: ${stderr}`);
  }
}

export async function buildNativeEngine(opts: NativeBuildOptions = {}): Promise<NativeBuildResult> {
  const env = opts.env ?? process.env;
  const progress = opts.progress ?? (() => {});
  const t0 = Date.now();
  if (process.platform === 'win32') {
    throw new NativeBuildError('platform', 'building the native engine on Windows is not supported yet; use WSL, or the wasm backend');
  }
  const { found: lib, rejected } = locateLibtorch(env);
  if (!lib) {
    throw new NativeBuildError(
      'libtorch',
      `libtorch not found: ${rejected.join('; ')}. Install PyTorch for your CUDA (pip install torch), or Debian's libtorch-dev, or set LIBTORCH to an unpacked libtorch`,
    );
  }
  progress(`found ${describeLibtorch(lib)}`);
  const sourceDir = nativeSourceDir();
  const source = path.join(sourceDir, SOURCE_FILE);
  const sourceHash = crypto.createHash('sha256').update(fs.readFileSync(source)).digest('hex').slice(0, 16);
  const dir = addonDir(lib, env);
  const file = path.join(dir, ADDON_FILE);
  const recordFile = path.join(dir, 'build.json');
  // An engine that crashed a run is rebuilt even when its record says it is up to date.
  if (!opts.force && fs.existsSync(file) && !recordedNativeCrash(env, lib)) {
    try {
      const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as BuildRecord;
      if (record.sourceHash === sourceHash) {
        progress(`up to date: ${file}`);
        return { file, libtorch: lib, built: false, seconds: (Date.now() - t0) / 1000 };
      }
    } catch {
      // no or unreadable record: rebuild
    }
  }
  const { cxx, version } = findCompiler(env);
  const includes = [findNodeHeaders(env), findAddonHeaders(sourceDir)];
  const cuda = lib.cuda ? findCudaRuntime(lib, env) : undefined;
  if (lib.cuda) {
    progress(
      cuda
        ? `CUDA build: compiling the engine's CUDA code paths (CUDA runtime ${cuda.includeDir})`
        : 'CUDA build, but no CUDA runtime with its headers was found (pip nvidia packages, CUDA_HOME, /usr/local/cuda): the engine still trains on the GPU through libtorch, without the GPU name, memory and synchronize',
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `building-${process.pid}.node`); // .node: require() picks the loader by extension
  progress(`compiling with ${version}, -std=${lib.cxxStandard} (about 20 s)`);
  const { code, output } = await run(cxx, compileArgs(lib, source, tmp, includes, cuda), env);
  if (code !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new NativeBuildError('compile', `compiling ${SOURCE_FILE} against ${describeLibtorch(lib)} failed:\n${compilerErrors(output)}`);
  }
  checkLoads(tmp, env);
  fs.renameSync(tmp, file);
  clearNativeCrash(dir);
  const record: BuildRecord = { sourceHash, cudaCodePaths: !!cuda, libtorch: lib, compiler: version, builtAt: new Date().toISOString() };
  fs.writeFileSync(recordFile, JSON.stringify(record, null, 2) + '\n');
  const seconds = (Date.now() - t0) / 1000;
  progress(`built ${file} in ${formatDuration(seconds)}`);
  return { file, libtorch: lib, built: true, seconds };
}
