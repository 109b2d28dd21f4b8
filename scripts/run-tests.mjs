// Runs every test/unit/**/*.test.ts with Node's own test runner (TypeScript through tsx).
// Node 20's --test does not expand globs or pick up .ts files itself, hence this list.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

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
const files = find(root).filter((f) => !filter || f.includes(filter)).sort();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
