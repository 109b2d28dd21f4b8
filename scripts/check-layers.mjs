// Architecture check: only src/extension may import 'vscode'; the core knows nothing of the
// worker, host, extension or webview; the webview imports no Node or core runtime code; user loss
// modules are loaded only by the worker and the module host.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

const rules = [
  { dir: 'src/core', banned: [/^vscode$/, /\/(extension|worker|host|cli|protocol)\//, /^\.\.\/\.\.\/(extension|worker|host|cli)/], why: 'the core must not depend on VS Code or on the layers above it' },
  { dir: 'src/worker', banned: [/^vscode$/], why: 'the worker runs outside VS Code' },
  { dir: 'src/host', banned: [/^vscode$/], why: 'the host runner is shared with the CLI' },
  { dir: 'src/cli', banned: [/^vscode$/], why: 'the CLI runs outside VS Code' },
  { dir: 'src/report', banned: [/^vscode$/], why: 'reports are written by the CLI too' },
  { dir: 'src/protocol', banned: [/^vscode$/], why: 'protocol types are shared by every side' },
  // A module's code may loop or exit: only processes that can be timed out or fail by name run it.
  ...['src/cli', 'src/host', 'src/extension', 'src/report'].map((dir) => ({ dir, banned: [/\/core\/losses\/(customModule|checkLoss|recordLossModule)$/], why: 'user loss modules load only in the worker and the module host' })),
  { dir: 'webview', banned: [/^vscode$/, /^node:/, /^fs$/, /^path$/, /\/core\/(train|data|backend|models|losses|nn)\//], why: 'the webview runs in a browser sandbox' },
];

const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;
const problems = [];
for (const rule of rules) {
  let list;
  try {
    list = files(rule.dir);
  } catch {
    continue;
  }
  for (const file of list) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (rule.banned.some((re) => re.test(spec))) problems.push(`${relative('.', file)}: imports '${spec}' (${rule.why})`);
    }
  }
}
if (problems.length) {
  console.error(`Layer check failed:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('Layer check: core, worker, host, cli, report and webview keep to their layers.');
