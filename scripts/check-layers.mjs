// Architecture check: only src/extension may import 'vscode'; the core knows nothing of the
// worker, host, extension or webview; the webview imports no Node or core runtime code; user loss
// modules are loaded only by the worker and the module host; the extension's feature folders
// import each other only along the lines declared below.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

const rules = [
  {
    dir: 'src/core',
    banned: [/^vscode$/, /\/(extension|worker|host|cli|protocol)\//, /^\.\.\/\.\.\/(extension|worker|host|cli)/],
    why: 'the core must not depend on VS Code or on the layers above it',
  },
  { dir: 'src/worker', banned: [/^vscode$/], why: 'the worker runs outside VS Code' },
  { dir: 'src/host', banned: [/^vscode$/], why: 'the host runner is shared with the CLI' },
  { dir: 'src/cli', banned: [/^vscode$/], why: 'the CLI runs outside VS Code' },
  { dir: 'src/report', banned: [/^vscode$/], why: 'reports are written by the CLI too' },
  { dir: 'src/protocol', banned: [/^vscode$/], why: 'protocol types are shared by every side' },
  // A module's code may loop or exit: only processes that can be timed out or fail by name run it.
  ...['src/cli', 'src/host', 'src/extension', 'src/report'].map((dir) => ({
    dir,
    banned: [/\/core\/losses\/(customModule|checkLoss|recordLossModule)$/],
    why: 'user loss modules load only in the worker and the module host',
  })),
  { dir: 'webview', banned: [/^vscode$/, /^node:/, /^fs$/, /^path$/, /\/core\/(train|data|backend|models|losses|nn)\//], why: 'the webview runs in a browser sandbox' },
];

const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The .ts files under `dir`; none where it does not exist. */
function filesUnder(dir) {
  try {
    return files(dir);
  } catch {
    return [];
  }
}

/** Every import of each file under `dir`: its specifier, and whether it brings in types only. */
function importsUnder(dir) {
  return filesUnder(dir).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(importRe)].map((m) => ({ file, spec: m[1] ?? m[2] ?? m[3], typeOnly: /^(?:import|export)\s+type\s/.test(m[0]) })));
}

const problems = [];
for (const rule of rules) {
  for (const { file, spec } of importsUnder(rule.dir)) {
    if (rule.banned.some((re) => re.test(spec))) problems.push(`${relative('.', file)}: imports '${spec}' (${rule.why})`);
  }
}

// The extension's feature folders and the features each may import. main.ts wires them together; the
// modules directly in src/extension are shared by every feature and import none (but for types:
// services.ts names the services). A new folder is added here, which keeps the graph in sight; keep
// it free of cycles.
const EXTENSION = 'src/extension';
const FEATURES = {
  config: [],
  customLoss: [],
  native: [],
  report: [],
  slurm: [],
  run: ['config', 'slurm'],
  results: ['run', 'report'],
  tree: ['run', 'results', 'slurm'],
};

/** A path's place in the extension: 'main', 'shared', a feature folder's name, or undefined outside it. */
function placeOf(path) {
  const rel = relative(EXTENSION, path);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  if (parts.length > 1) return parts[0];
  return /^main(\.ts)?$/.test(parts[0]) ? 'main' : 'shared';
}

const known = (place) => place === 'main' || place === 'shared' || Object.hasOwn(FEATURES, place);
for (const file of filesUnder(EXTENSION)) {
  if (!known(placeOf(file))) problems.push(`${relative('.', file)}: '${placeOf(file)}' is not a known feature folder (add it to FEATURES in scripts/check-layers.mjs)`);
}
for (const { file, spec, typeOnly } of importsUnder(EXTENSION)) {
  const from = placeOf(file);
  const where = `${relative('.', file)}: imports '${spec}'`;
  if (!known(from) || !spec.startsWith('.')) continue;
  const to = placeOf(resolve(dirname(file), spec));
  if (to === undefined || to === from) continue;
  if (to === 'main') problems.push(`${where} (main.ts wires the features; nothing imports it)`);
  else if (from === 'shared' && to !== 'shared' && !typeOnly) problems.push(`${where} (shared modules import no feature)`);
  else if (from !== 'main' && from !== 'shared' && to !== 'shared' && !FEATURES[from].includes(to)) {
    problems.push(`${where} (feature '${from}' may import ${FEATURES[from].length ? FEATURES[from].join(', ') : 'no other feature'})`);
  }
}
if (problems.length) {
  console.error(`Layer check failed:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('Layer check: core, worker, host, cli, report and webview keep to their layers; extension features to theirs.');
