// Runs every test/unit/**/*.test.ts with Node's own test runner (TypeScript through tsx).
// Node 20's --test does not expand globs or pick up .ts files itself, hence this list.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { judgeSkips } from './skips.mjs';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? find(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

// Usage: run-tests.mjs [filter] [--dir test/system]
const args = process.argv.slice(2);
const dirIndex = args.indexOf('--dir');
const root = dirIndex >= 0 ? args.splice(dirIndex, 2)[1] : 'test/unit';
const filter = args[0];
const files = find(root)
  .filter((f) => !filter || f.includes(filter))
  .sort();
// The usual output on stdout, and each skipped test to a file for the skip rule (scripts/skips.mjs).
const skipDir = mkdtempSync(join(tmpdir(), 'losslab-skips-'));
const skipFile = join(skipDir, 'skips.jsonl');
const reporters = ['--test-reporter=tap', '--test-reporter-destination=stdout', '--test-reporter=./scripts/skip-reporter.mjs', `--test-reporter-destination=${skipFile}`];
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...reporters, ...files], {
  stdio: 'inherit',
});
let skips = [];
try {
  skips = readFileSync(skipFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
} catch {
  // no file: nothing was skipped, or the runner died (its status says so)
}
rmSync(skipDir, { recursive: true, force: true });
const skipStatus = judgeSkips(skips, root);
process.exit(r.status || skipStatus);
