// Prints the Markdown comparison of this reproduction (report/results.json) with the paper's
// Table 1 (CIFAR-100), rank by rank. Run from the repository root:
//   node docs/reproduction/compare.mjs [docs/reproduction/report/results.json]
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'docs/reproduction/report/results.json';
const { table } = JSON.parse(readFileSync(file, 'utf8'));

// The paper's Table 1 (CIFAR-100, mean ± std over 3 runs), in our loss labels' order.
const PAPER = {
  VGG: [71.86, 72.85, 71.97, 72.53, 71.98, 73.57, 74.13, 73.24],
  'ResNet-18': [75.1, 74.97, 74.4, 74.86, 73.84, 76.12, 76.1, 76.08],
  'ResNet-50': [75.95, 75.68, 75.61, 76.19, 75.41, 76.56, 76.62, 76.32],
};
const PAPER_ROWS = ['CE', 'AM-Softmax s=7.5 m=0.35', 'AM-Softmax s=10 m=0.5', 'PEDCC s=7.5 m=0.35', 'PEDCC s=10 m=0.5', 'Scaled-BN m=0.8', 'Scaled-BN m=0.9', 'Scaled-BN m=1'];

/** 1-based rank of each value, highest first. */
const ranks = (xs) => xs.map((x) => (x === undefined ? undefined : 1 + xs.filter((y) => y !== undefined && y > x).length));

const ourMeans = table.columns.map((_, c) => table.rows.map((_, r) => table.cells[r][c]?.mean));
const ourRanks = ourMeans.map(ranks);
const paperRanks = Object.fromEntries(Object.entries(PAPER).map(([k, v]) => [k, ranks(v)]));
const paperIndex = (label) => PAPER_ROWS.findIndex((p) => p.toLowerCase() === label.toLowerCase().replace(/m=1\.0$/, 'm=1'));

const head = ['Loss', ...table.columns.map((c) => `${c.label} (ours)`), 'Paper VGG', 'Paper ResNet-18', 'Paper ResNet-50'];
const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
table.rows.forEach((label, r) => {
  const ours = table.columns.map((_, c) => {
    const cell = table.cells[r][c];
    if (!cell) return '–';
    const text = `${cell.mean.toFixed(2)} ± ${cell.std.toFixed(2)} (n=${cell.n}${cell.partial ? ', unfinished' : ''}) #${ourRanks[c][r]}`;
    return cell.best ? `**${text}**` : text;
  });
  const p = paperIndex(label);
  const paper = Object.keys(PAPER).map((k) => (p < 0 ? '–' : `${PAPER[k][p].toFixed(2)} #${paperRanks[k][p]}`));
  lines.push(`| ${label} | ${[...ours, ...paper].join(' | ')} |`);
});
console.log(lines.join('\n'));
console.log('\n#k: rank within the column (1 = highest mean); bold: best of our column.');

// Paired by seed: a seed fixes the training subset and the backbone's initial weights, so
// (loss − CE) on the same seed removes the part of the spread the seeds share.
const seedOf = (runId) => runId.match(/__seed(\d+)$/)?.[1];
const ceRow = table.rows.findIndex((l) => l === 'CE');
if (ceRow >= 0) {
  const headP = ['Loss', ...table.columns.map((c) => `${c.label}: − CE per seed (mean)`)];
  const out = [`| ${headP.join(' | ')} |`, `|${headP.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  table.rows.forEach((label, r) => {
    if (r === ceRow) return;
    const cells = table.columns.map((_, c) => {
      const cell = table.cells[r][c];
      const ce = table.cells[ceRow][c];
      if (!cell || !ce) return '–';
      const ceBySeed = new Map(ce.runs.map((id, i) => [seedOf(id), ce.values[i]]));
      const diffs = cell.runs.map((id, i) => (ceBySeed.has(seedOf(id)) ? cell.values[i] - ceBySeed.get(seedOf(id)) : undefined)).filter((d) => d !== undefined);
      if (!diffs.length) return '–';
      const m = diffs.reduce((a, b) => a + b, 0) / diffs.length;
      const sign = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
      return `${diffs.map(sign).join(', ')} (${sign(m)})`;
    });
    out.push(`| ${label} | ${cells.join(' | ')} |`);
  });
  console.log(`\n${out.join('\n')}`);
  console.log('\nPercentage points, seeds in order; positive: the loss beat CE on that seed.\n');
}

// Spearman rank correlation of each of our columns with each paper column.
const spearman = (a, b) => {
  const n = a.length;
  const d2 = a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
};
for (const [c, col] of table.columns.entries()) {
  // Rows present both here and in the paper, ranked among themselves on each side.
  const rows = table.rows.map((label, r) => ({ r, p: paperIndex(label) })).filter(({ r, p }) => p >= 0 && ourMeans[c][r] !== undefined);
  if (rows.length < 3) continue;
  const ours = ranks(rows.map(({ r }) => ourMeans[c][r]));
  const parts = Object.keys(PAPER).map((k) => `${k} ${spearman(ours, ranks(rows.map(({ p }) => PAPER[k][p]))).toFixed(2)}`);
  console.log(`Rank correlation (Spearman over ${rows.length} losses; ties not corrected) of ${col.label} with the paper: ${parts.join(', ')}`);
}

// Every run, so that nothing in the tables above can have been picked.
const { runs } = JSON.parse(readFileSync(file, 'utf8'));
const pct = (x) => (x === undefined ? '–' : (x * 100).toFixed(2));
const runLines = ['| Model | Loss | Seed | Train acc | Test acc (final) | Test acc (best) | State | Wall (s) |', '|---|---|---:|---:|---:|---:|---|---:|'];
for (const run of runs) {
  const s = run.summary ?? {};
  runLines.push(
    `| ${run.config.modelLabel} | ${run.config.lossLabel} | ${run.config.seed} | ${pct(s.finalTrainAcc)} | ${pct(s.finalTestAcc)} | ${pct(s.bestTestAcc)} | ${run.status?.state ?? '–'} | ${s.wallSeconds?.toFixed(0) ?? '–'} |`,
  );
}
console.log(`\n${runLines.join('\n')}`);
