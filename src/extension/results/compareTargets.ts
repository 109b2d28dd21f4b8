/**
 * What Compare Runs and Compare Experiments were invoked on: the tree's selection (VS Code
 * passes the clicked node and then every selected node), folder paths, or nothing. And which
 * panel a set of runs from one or several experiments goes to. No vscode here.
 */
import * as path from 'node:path';
import { combinedRunId, experimentNames } from '../../host/combinedSnapshot';

export interface RunRef {
  experimentDir: string;
  runId: string;
}

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null;

/** The selected nodes when VS Code gave them (second argument), else the one clicked. */
function nodesOf(first: unknown, selected: unknown): unknown[] {
  if (Array.isArray(selected) && selected.length > 0 && selected.every(isObject)) return selected;
  return first === undefined ? [] : [first];
}

function runRef(node: unknown): RunRef | undefined {
  if (!isObject(node) || node.kind !== 'run' || typeof node.experimentDir !== 'string' || !isObject(node.run) || typeof node.run.runId !== 'string') return undefined;
  return { experimentDir: node.experimentDir, runId: node.run.runId };
}

/** Runs picked in the tree; empty when the command was not invoked on runs. */
export function runRefsOf(first: unknown, selected: unknown): RunRef[] {
  const refs = nodesOf(first, selected).map(runRef);
  return refs.every((r): r is RunRef => r !== undefined) ? refs : [];
}

/**
 * Experiment folders: a list of paths (the API, tests), the tree's selected experiment nodes, or one
 * path. Run nodes count as their experiment. Each folder once, in the order given.
 */
export function experimentDirsOf(first: unknown, selected: unknown): string[] {
  const given = Array.isArray(first) ? first : nodesOf(first, selected);
  const dirs = given.flatMap((node): string[] => {
    if (typeof node === 'string') return [node];
    if (isObject(node) && node.kind === 'experiment' && typeof node.dir === 'string') return [node.dir];
    const ref = runRef(node);
    return ref ? [ref.experimentDir] : [];
  });
  return [...new Map(dirs.map((d) => [path.resolve(d), path.resolve(d)])).values()];
}

/** The panel for these runs: their one experiment with their own ids, or their experiments together with combined ids. */
export function comparePlan(refs: readonly RunRef[]): { dirs: string[]; runIds: string[] } {
  const dirs = [...new Set(refs.map((r) => path.resolve(r.experimentDir)))];
  if (dirs.length === 1) return { dirs, runIds: refs.map((r) => r.runId) };
  const names = experimentNames(dirs);
  return { dirs, runIds: refs.map((r) => combinedRunId(names[dirs.indexOf(path.resolve(r.experimentDir))], r.runId)) };
}
