// Writes a copy of seed-study.losslab.json restricted to one seed (named seed-study-seedK),
// so that run.sh can alternate Loss Lab and PyTorch seed by seed.
// Usage: node seed-config.mjs <seed> <out-dir>  → prints the path of the written config
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
const here = dirname(fileURLToPath(import.meta.url));
const [seed, outDir] = process.argv.slice(2);
const cfg = JSON.parse(readFileSync(join(here, 'seed-study.losslab.json'), 'utf8'));
delete cfg.$schema;
cfg.name = `seed-study-seed${seed}`;
cfg.seeds = [Number(seed)];
mkdirSync(resolve(outDir), { recursive: true });
const path = resolve(outDir, `${cfg.name}.losslab.json`);
writeFileSync(path, JSON.stringify(cfg, null, 2) + '\n');
console.log(path);
