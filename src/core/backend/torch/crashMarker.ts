/**
 * A record, beside the native engine's addon, that the engine crashed a worker (SIGSEGV, SIGBUS,
 * SIGILL): a damaged build that still loads would crash every run, so `auto` passes it over until
 * a rebuild (`losslab build-native --force`) removes the record.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addonDir, locateLibtorch, type Libtorch } from './libtorch';

export const CRASH_MARKER = 'crashed.json';
/** Logged by a worker before the native engine loads: a worker that then dies by a signal died in it. */
export const TORCH_LOADING = 'backend: loading the native engine (torch)';
/** Logged when `auto` leaves the loaded engine (on the CPU) to try the GPU backends first. */
export const TORCH_ON_CPU = 'backend: the native engine computes on the CPU; trying the GPU backends first';
export const REBUILD_FORCE_HINT = "rebuild it with 'losslab build-native --force'";

interface NativeCrash {
  signal: string;
  runId?: string;
  at: string;
}

/** The marker of the engine built for `lib` (or for the libtorch this environment finds). */
export function crashMarkerFile(env: NodeJS.ProcessEnv = process.env, lib?: Libtorch): string | undefined {
  const found = lib ?? locateLibtorch(env).found;
  return found ? path.join(addonDir(found, env), CRASH_MARKER) : undefined;
}

/** Records a crash beside the engine; returns the marker's path, or undefined when there is no engine to mark. Never throws: it runs on an error path. */
export function recordNativeCrash(crash: NativeCrash, env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    const file = crashMarkerFile(env);
    if (!file || !fs.existsSync(path.dirname(file))) return undefined;
    fs.writeFileSync(file, JSON.stringify(crash, null, 2) + '\n');
    return file;
  } catch {
    return undefined;
  }
}

/** The crash recorded beside the engine, if any (an unreadable marker still counts as one). */
export function recordedNativeCrash(env: NodeJS.ProcessEnv = process.env, lib?: Libtorch): (NativeCrash & { file: string }) | undefined {
  const file = crashMarkerFile(env, lib);
  if (!file || !fs.existsSync(file)) return undefined;
  try {
    return { ...(JSON.parse(fs.readFileSync(file, 'utf8')) as NativeCrash), file };
  } catch {
    return { signal: 'a signal', at: 'an unknown time', file };
  }
}

/** Removes the marker of the engine in `dir` (after a rebuild there). */
export function clearNativeCrash(dir: string): void {
  fs.rmSync(path.join(dir, CRASH_MARKER), { force: true });
}
