// Finds the libtorch (PyTorch's C++ library) the native engine is built against and loaded with.
// One resolver for the build (src/host/nativeBuild.ts) and the runtime (torchAddon.ts), in this
// order: an explicit path (LIBTORCH, or the lossLab.libtorchPath setting the extension passes as
// LIBTORCH), the `torch` package of the Python on PATH, Debian's libtorch-dev.
//
// Layouts read, from Debian's 1.13 to current wheels: the version from torch/version.h (up to
// 2.x), torch/headeronly/version.h (recent 2.x, which torch/version.h only includes), a pip
// package's torch/version.py or a libtorch download's build-version file; the C++ standard from
// what ATen's headers demand.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type LibtorchSource = 'LIBTORCH' | 'python' | 'debian';

export interface Libtorch {
  source: LibtorchSource;
  /** Where it was found, for messages: the folder, or the Python package's folder. */
  where: string;
  /** -I folders: the include root and the C++ API's (torch/torch.h, torch/version.h). */
  includeDirs: string[];
  /** Holds libtorch, libtorch_cpu and libc10 (and libtorch_cuda in a CUDA build). */
  libDir: string;
  /** e.g. '1.13.0' or '2.14.1'. */
  version: string;
  /** The build's full version where the layout names it, e.g. '2.14.1+cu130'. */
  build?: string;
  /** The C++ standard ATen's headers require: c++20 from PyTorch 2.14, c++17 before. */
  cxxStandard: string;
  /** Whether libtorch_cuda is there: a CUDA build, whether or not this machine has a GPU. */
  cuda: boolean;
  /** Linux: whether libc10 was built with the C++11 std::string ABI (pip wheels before 2.7 were not). */
  cxx11Abi: boolean;
}

export interface LocateResult {
  found?: Libtorch;
  /** Each place looked at and why it did not qualify, in order. */
  rejected: string[];
}

const LIBTORCH_ENV = 'LIBTORCH';
/** The Python asked for its torch package; default python3 (python on Windows). */
const PYTHON_ENV = 'LOSSLAB_PYTHON';

const SHARED_LIB = process.platform === 'darwin' ? 'dylib' : process.platform === 'win32' ? 'dll' : 'so';

function libName(base: string): string {
  return process.platform === 'win32' ? `${base}.${SHARED_LIB}` : `lib${base}.${SHARED_LIB}`;
}

/** The TORCH_VERSION_MAJOR/MINOR/PATCH defines of a version header, or undefined. */
function versionDefines(text: string): string | undefined {
  const part = (name: string) => /(\d+)/.exec(text.split(`#define TORCH_VERSION_${name}`)[1] ?? '')?.[1];
  const [major, minor, patch] = [part('MAJOR'), part('MINOR'), part('PATCH')];
  return major && minor && patch ? `${major}.${minor}.${patch}` : undefined;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A full version such as '2.13.0+cpu' as { version: '2.13.0', build: '2.13.0+cpu' }. */
function parseFullVersion(text: string | undefined): { version: string; build: string } | undefined {
  const m = text && /(\d+)\.(\d+)\.(\d+)([^\s'"]*)/.exec(text);
  return m ? { version: `${m[1]}.${m[2]}.${m[3]}`, build: m[0] } : undefined;
}

/**
 * The libtorch's version, from the first layout that has one. `root` is the folder holding
 * include/ and lib/ (a pip package's torch folder, a libtorch download), or undefined for Debian's.
 */
function readLibtorchVersion(includeRoot: string, root: string | undefined): { version: string; build?: string; from: string } | undefined {
  const headers = [path.join(includeRoot, 'torch', 'csrc', 'api', 'include', 'torch', 'version.h'), path.join(includeRoot, 'torch', 'headeronly', 'version.h')];
  let version: string | undefined;
  let from = '';
  for (const file of headers) {
    const text = readText(file);
    version = text === undefined ? undefined : versionDefines(text);
    if (version) {
      from = file;
      break;
    }
  }
  const full = root
    ? (parseFullVersion(/__version__\s*=\s*['"]([^'"]+)['"]/.exec(readText(path.join(root, 'version.py')) ?? '')?.[1]) ?? parseFullVersion(readText(path.join(root, 'build-version'))))
    : undefined;
  if (version) return { version, build: full && full.version === version ? full.build : undefined, from };
  return full ? { ...full, from: root! } : undefined;
}

/** The C++ standard ATen's headers demand: they stop with "#error C++20 or later …" under an older one. */
function requiredCxxStandard(includeRoot: string): string {
  const m = /C\+\+(\d\d) or later compatible compiler is required/.exec(readText(path.join(includeRoot, 'ATen', 'ATen.h')) ?? '');
  return m && Number(m[1]) > 17 ? `c++${m[1]}` : 'c++17';
}

/**
 * Mangled names of functions taking std::string carry `__cxx11` under the new ABI; libc10 exports
 * many, so its bytes tell which ABI it was built with.
 */
function usesCxx11Abi(libDir: string): boolean {
  if (process.platform !== 'linux') return true;
  try {
    return fs.readFileSync(path.join(libDir, libName('c10'))).includes('__cxx11');
  } catch {
    return true;
  }
}

function candidate(source: LibtorchSource, where: string, root: string | undefined, includeRoot: string, libDir: string, rejected: string[]): Libtorch | undefined {
  if (!fs.existsSync(path.join(includeRoot, 'torch', 'csrc', 'api', 'include', 'torch', 'torch.h'))) {
    rejected.push(`${source} (${where}): no C++ headers (torch/csrc/api/include/torch/torch.h) under ${includeRoot}`);
    return undefined;
  }
  const found = readLibtorchVersion(includeRoot, root);
  if (!found) {
    rejected.push(`${source} (${where}): no version in torch/version.h, torch/headeronly/version.h, version.py or build-version`);
    return undefined;
  }
  const missing = ['torch', 'torch_cpu', 'c10'].map(libName).filter((f) => !fs.existsSync(path.join(libDir, f)));
  if (missing.length) {
    rejected.push(`${source} (${where}): ${missing.join(', ')} missing in ${libDir}`);
    return undefined;
  }
  return {
    source,
    where,
    includeDirs: [includeRoot, path.join(includeRoot, 'torch', 'csrc', 'api', 'include')],
    libDir,
    version: found.version,
    ...(found.build ? { build: found.build } : {}),
    cxxStandard: requiredCxxStandard(includeRoot),
    cuda: fs.existsSync(path.join(libDir, libName('torch_cuda'))),
    cxx11Abi: usesCxx11Abi(libDir),
  };
}

/** The folder of the `torch` package of `python`, found without importing torch (which takes seconds). */
function pythonTorchDir(python: string, env: NodeJS.ProcessEnv): string | undefined {
  const code = 'import importlib.util as u, os; s = u.find_spec("torch"); print(os.path.dirname(s.origin) if s and s.origin else "")';
  try {
    const out = execFileSync(python, ['-c', code], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'], timeout: 15000 }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

function debianLibDirs(): string[] {
  const dirs = ['/usr/lib'];
  try {
    for (const d of fs.readdirSync('/usr/lib')) if (/-linux-gnu/.test(d)) dirs.push(path.join('/usr/lib', d));
  } catch {
    // no /usr/lib: not Debian
  }
  return dirs;
}

export function locateLibtorch(env: NodeJS.ProcessEnv = process.env): LocateResult {
  const rejected: string[] = [];
  const explicit = env[LIBTORCH_ENV];
  if (explicit) {
    const found = candidate('LIBTORCH', explicit, explicit, path.join(explicit, 'include'), path.join(explicit, 'lib'), rejected);
    // An explicit path that does not work is an error, not a reason to use another libtorch.
    return { found, rejected };
  }
  const python = env[PYTHON_ENV] || (process.platform === 'win32' ? 'python' : 'python3');
  const torchDir = pythonTorchDir(python, env);
  if (torchDir) {
    const found = candidate('python', torchDir, torchDir, path.join(torchDir, 'include'), path.join(torchDir, 'lib'), rejected);
    if (found) return { found, rejected };
  } else {
    rejected.push(`python: '${python}' has no torch package (or is not on PATH)`);
  }
  if (process.platform === 'linux') {
    const libDir = debianLibDirs().find((d) => fs.existsSync(path.join(d, libName('torch'))));
    if (libDir) {
      const found = candidate('debian', 'libtorch-dev', undefined, '/usr/include', libDir, rejected);
      if (found) return { found, rejected };
    } else {
      rejected.push('debian: libtorch-dev is not installed (apt-get install libtorch-dev)');
    }
  }
  return { rejected };
}

export function describeLibtorch(lib: Libtorch): string {
  const from = lib.source === 'LIBTORCH' ? `LIBTORCH=${lib.where}` : lib.source === 'python' ? `Python's torch package at ${lib.where}` : "Debian's libtorch-dev";
  return `libtorch ${lib.build ?? lib.version}${lib.cuda ? ' with CUDA' : ''} (${from})`;
}

/** Bumped whenever the addon's exported functions change, so an older build is rebuilt, not misused. */
export const ADDON_API_VERSION = 3;
export const ADDON_FILE = 'losslab_torch.node';
const NATIVE_DIR_ENV = 'LOSSLAB_NATIVE_DIR';

/** Where built addons are kept: $LOSSLAB_NATIVE_DIR, else the user's cache folder. */
function nativeCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env[NATIVE_DIR_ENV]) return path.resolve(env[NATIVE_DIR_ENV]);
  const base = env.XDG_CACHE_HOME || (process.platform === 'darwin' ? path.join(os.homedir(), 'Library', 'Caches') : path.join(os.homedir(), '.cache'));
  return path.join(base, 'loss-lab', 'native');
}

/**
 * The folder of the addon built against `lib`: libtorch has no stable C++ ABI, so each libtorch
 * (version and location) gets its own build, and a changed libtorch finds no build and asks for one.
 */
export function addonDir(lib: Libtorch, env: NodeJS.ProcessEnv = process.env): string {
  const where = crypto
    .createHash('sha1')
    .update(`${lib.libDir}\n${lib.includeDirs.join('\n')}`)
    .digest('hex')
    .slice(0, 10);
  return path.join(nativeCacheRoot(env), `torch-${lib.version}-${process.platform}-${process.arch}-api${ADDON_API_VERSION}-${where}`);
}
