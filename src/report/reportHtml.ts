/**
 * report.html: one self-contained page. The table and every run's provenance are static
 * HTML (readable without scripts); the charts are drawn by the inlined report script
 * (dist/report.js, the results panel's chart code) from the inlined data. A
 * Content-Security-Policy allows exactly those two inline blocks (by hash) and nothing
 * else: no network, no other script, no frames.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { REPORT_DATA_ELEMENT, REPORT_PNG_ATTRIBUTE } from '../protocol/report';
import { seedAdvice, statisticsNotes } from '../core/results/tableNotes';
import { tableView } from '../../webview/tableModel';
import { formatDatasetSummary } from '../core/data/datasetSummary';
import type { FigureSpec, ReportModel, RunRow } from './reportModel';
import type { TuningSection } from './tuningSection';
import { FINAL_TABLE_NOTE, sameBudgetText, TUNING_SPLIT_NOTE } from '../core/search/summary';
import { formatDuration } from '../core/util/duration';
import { escapeAttribute, escapeHtml, percent, plural, readableTime, withoutHome } from '../core/util/format';

/** JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function reportCsp(script: string, style: string): string {
  return ["default-src 'none'", `script-src ${sha256(script)}`, `style-src ${sha256(style)}`, 'img-src data:', "base-uri 'none'", "form-action 'none'"].join('; ');
}

/** Fixed sizes: the PNGs come out the same on every machine (at the page's device scale). */
const CHART_WIDTH = 600;
const CHART_HEIGHT = 340;

const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; background: #ffffff; color: #24292f; font: 14px/20px "DejaVu Sans", "Liberation Sans", "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 15px; margin: 20px 0 8px; }
p { margin: 4px 0; }
.muted, .hint { color: #57606a; }
.hint { font-size: 12.5px; line-height: 18px; }
code, pre, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 4px; padding: 8px 12px; overflow-x: auto; margin: 6px 0; }
.warnings { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 4px; padding: 8px 12px; margin: 12px 0; white-space: pre-wrap; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, ${CHART_WIDTH + 18}px); gap: 24px; } /* as many fixed-size figures a row as fit: two on a wide page, one in a narrow tab */
figure.figure { margin: 0; padding: 8px; background: #ffffff; border: 1px solid #d0d7de; border-radius: 4px; }
figure.chart { width: ${CHART_WIDTH + 18}px; }
figure.table-figure { width: fit-content; max-width: 100%; overflow-x: auto; padding: 12px 16px; }
figure.table-figure .hint { width: 0; min-width: 100%; margin-top: 8px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
figcaption .subtitle { display: block; font-weight: normal; font-size: 12.5px; line-height: 18px; color: #57606a; }
.chart-box { position: relative; width: ${CHART_WIDTH}px; height: ${CHART_HEIGHT}px; }
table { border-collapse: collapse; }
table.comparison th, table.comparison td { padding: 5px 14px; border-bottom: 1px solid #d0d7de; text-align: left; white-space: nowrap; }
table.comparison thead th { border-bottom: 2px solid #24292f; }
table.comparison .num { text-align: right; font-variant-numeric: tabular-nums; }
table.comparison td[data-best] { background: #dafbe1; }
table.comparison td[data-best] strong::after { content: ' ★'; color: #1a7f37; }
table.comparison .delta { font-size: 12px; color: #57606a; }
table.comparison .delta[data-not-significant] { color: #8c959f; font-style: italic; }
table.runs { font-size: 12.5px; }
table.runs th, table.runs td { padding: 3px 10px; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
table.runs thead th { border-bottom: 2px solid #d0d7de; background: #f6f8fa; }
table.runs .num { text-align: right; font-variant-numeric: tabular-nums; }
table.runs tr[data-state="failed"] td { color: #cf222e; }
table.runs tr[data-state="stopped"] td, table.runs tr[data-state="queued"] td, table.runs tr[data-state="not started"] td { color: #9a6700; }
details { margin: 6px 0; border: 1px solid #d0d7de; border-radius: 4px; padding: 4px 10px; }
details > summary { cursor: pointer; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 6px 0; }
dl.facts dt { color: #57606a; }
dl.facts dd { margin: 0; }
@media print { body { padding: 0; } details { break-inside: avoid; } figure.figure { break-inside: avoid; } }
`.trim();

/** "5 min 04 s (304.2 s)": the exact seconds too, once the short form rounds them. */
function wallText(seconds: number, partial: boolean): string {
  const short = formatDuration(seconds);
  const exact = `${seconds.toFixed(1)} s`;
  const notes = [short === exact ? '' : exact, partial ? 'finished epochs only' : ''].filter(Boolean);
  return notes.length ? `${short} (${notes.join(', ')})` : short;
}

const machineText = (m: NonNullable<RunRow['machine']>) => `${m.platform}/${m.arch}, ${m.cpus} × ${m.cpuModel}, ${m.totalMemGiB} GiB RAM`;
const versionsText = (v: Record<string, string>) =>
  Object.entries(v)
    .map(([k, x]) => `${k} ${x}`)
    .join(', ');

const attr = (name: string, value: string) => ` ${name}="${escapeAttribute(value)}"`;

function comparisonTable(model: ReportModel): string {
  const view = tableView(model.table);
  const head = view.headers.map((h, i) => `<th scope="col"${i > 0 ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const rows = view.rows.map((row) => {
    const cells = row.cells.map((cell) => {
      const marks = `${cell.best ? ' data-best="true"' : ''}${cell.partial ? ' data-partial="true"' : ''}`;
      const text = cell.best ? `<strong>${escapeHtml(cell.text)}</strong>` : escapeHtml(cell.text);
      const delta = cell.detail ? `<div class="delta"${cell.notSignificant ? ' data-not-significant="true"' : ''}>${escapeHtml(cell.detail)}</div>` : '';
      return `<td class="num"${attr('title', cell.title)}${marks}>${text}${delta}</td>`;
    });
    return `<tr><th scope="row">${escapeHtml(row.label)}</th>${cells.join('')}</tr>`;
  });
  const seeds = [...new Set(model.table.cells.flat().flatMap((c) => (c ? [c.n] : [])))].sort((a, b) => a - b);
  const partial = model.table.cells.some((row) => row.some((c) => c?.partial));
  const diverged = model.table.cells.some((row) => row.some((c) => c?.diverged?.length));
  const legend = [
    `Each cell: mean (± sample std, n − 1) of the runs' final test accuracy, over ${seeds.length ? seeds.join(' or ') : 'no'} seed${seeds.length === 1 && seeds[0] === 1 ? '' : 's'}.`,
    'Bold ★: best mean of its column, beyond noise of the runner-up.',
    partial ? '†: includes unfinished runs (accuracy at their last finished epoch).' : '',
    diverged ? '‡: some runs of the cell diverged; "diverged": all did. Diverged runs are left out of the mean, the tests and the best mark.' : '',
    ...statisticsNotes(model.table),
  ].filter(Boolean);
  const advice = seedAdvice(model.table);
  const adviceList = advice.length ? `\n<ul class="hint seed-advice">${advice.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>` : '';
  return `<table class="comparison" data-rows="${view.rows.length}"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="hint">${legend.map(escapeHtml).join(' ')}</p>${adviceList}`;
}

function figure(spec: FigureSpec, body: string, extraClass: string): string {
  return `<figure class="figure ${extraClass}"${attr(REPORT_PNG_ATTRIBUTE, spec.file)}${attr('data-kind', spec.kind)}>
<figcaption>${escapeHtml(spec.title)}${spec.subtitle ? `<span class="subtitle">${escapeHtml(spec.subtitle)}</span>` : ''}</figcaption>
${body}
</figure>`;
}

/** The Tuning section: the shared budget and the split its numbers come from, then each study's choice, budget used and figures. */
function tuningHtml(tuning: TuningSection): string {
  const studies = tuning.studies.map(
    (s) => `<div class="tuning-study"><h3>${escapeHtml(s.title)}</h3>
<p class="tuning-chosen">${escapeHtml(s.chosen ? `Chosen: ${s.chosen}` : 'Nothing chosen yet: tuning goes on.')}</p>
<p class="tuning-budget">${escapeHtml(`Budget used: ${s.budget}`)}</p>
<div class="grid">${s.figures.map(chartFigure).join('\n')}</div></div>`,
  );
  return `<section id="tuning"><h2>Tuning</h2>
<p class="hint">${escapeHtml(`${sameBudgetText(tuning.search.budget)} ${TUNING_SPLIT_NOTE}`)}</p>
${studies.join('\n')}
</section>`;
}

const chartFigure = (spec: FigureSpec) =>
  figure(
    spec,
    `<div class="chart-box"><canvas${attr('id', spec.canvasId!)} data-points="0" role="img"${attr('aria-label', [spec.title, spec.subtitle].filter(Boolean).join(': '))}></canvas></div>`,
    'chart',
  );

function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * JSON for people: indented, but arrays and objects that fit on one line stay on one
 * (`"milestones": [30, 60, 90]`), so a config reads like the file it came from.
 */
export function readableJson(value: unknown, indent = '', width = 100, lead = indent.length): string {
  const inline = inlineJson(value);
  if (typeof value !== 'object' || value === null || lead + inline.length <= width) return inline;
  const isArray = Array.isArray(value);
  const entries: [string | undefined, unknown][] = isArray ? value.map((v) => [undefined, v]) : Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return inline;
  const inner = indent + '  ';
  const lines = entries.map(([k, v]) => {
    const head = `${inner}${k === undefined ? '' : `${JSON.stringify(k)}: `}`;
    return head + readableJson(v, inner, width, head.length + 1); // + 1: the comma after it
  });
  return `${isArray ? '[' : '{'}\n${lines.join(',\n')}\n${indent}${isArray ? ']' : '}'}`;
}

function runsTable(rows: readonly RunRow[]): string {
  const head = ['Run', 'Model', 'Loss', 'Seed', 'State', 'Epochs', 'Final test acc', 'Best test acc', 'Backend', 'Wall time', 'Parameters'];
  const numeric = new Set([3, 5, 6, 7, 9, 10]);
  const body = rows.map((r) => {
    const cells = [
      `<a${attr('href', `#run-${r.runId}`)} class="mono">${escapeHtml(r.runId)}</a>`,
      escapeHtml(r.model),
      escapeHtml(r.loss),
      String(r.seed),
      escapeHtml(r.state) + (r.reason ? `: ${escapeHtml(r.reason)}` : '') + (r.stale ? ` <strong class="stale">stale</strong>: ${escapeHtml(r.stale)}` : ''),
      `${r.epochsDone}/${r.epochs}`,
      r.finalTestAcc ? percent(r.finalTestAcc.acc) + (r.finalTestAcc.partial ? ' †' : '') : '—',
      r.bestTestAcc !== undefined ? percent(r.bestTestAcc) : '—',
      escapeHtml(r.backend ?? '—'),
      r.wallSeconds ? (r.wallSeconds.partial ? '≥ ' : '') + formatDuration(r.wallSeconds.seconds) : '—',
      r.trainableParams !== undefined ? r.trainableParams.toLocaleString('en-US') : '—',
    ];
    return `<tr${attr('data-state', r.state)}>${cells.map((c, i) => `<td${numeric.has(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`;
  });
  return `<table class="runs"><thead><tr>${head.map((h, i) => `<th scope="col"${numeric.has(i) ? ' class="num"' : ''}>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>
<p class="hint">†: unfinished run, accuracy of its last finished epoch. ≥: unfinished run, the time of its finished epochs.</p>`;
}

/** Distinct machine + software combinations, each with the runs that used it. */
function environmentTable(rows: readonly RunRow[]): string {
  const groups = new Map<string, { machine: string; versions: string; runs: string[] }>();
  for (const r of rows) {
    const machine = r.machine ? machineText(r.machine) : 'not recorded (no summary.json: the run did not finish)';
    const versions = r.versions ? versionsText(r.versions) : '—';
    const key = JSON.stringify([machine, versions]);
    const g = groups.get(key) ?? { machine, versions, runs: [] };
    g.runs.push(r.runId);
    groups.set(key, g);
  }
  const body = [...groups.values()].map(
    (g) => `<tr><td>${escapeHtml(g.machine)}</td><td>${escapeHtml(g.versions)}</td><td>${plural(g.runs.length, 'run')}: <span class="mono">${g.runs.map(escapeHtml).join(', ')}</span></td></tr>`,
  );
  return `<table class="runs"><thead><tr><th>Machine</th><th>Software</th><th>Runs</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** What each run trained on (dataset.json): one block per distinct dataset, with its runs. */
function datasetSection(model: ReportModel): string {
  if (model.datasets.length === 0) return '<p class="muted">No dataset.json in the runs (they were written before Loss Lab recorded it).</p>';
  return model.datasets
    .map(({ summary, runIds }) => {
      const lines = formatDatasetSummary(summary).map((l) => l.trim());
      const runs = `${plural(runIds.length, 'run')}: ${runIds.join(', ')}`;
      return `<div class="dataset"><p><strong>${escapeHtml(lines[0])}</strong></p><ul>${lines
        .slice(1)
        .map((l) => `<li>${escapeHtml(l)}</li>`)
        .join('')}</ul><p class="muted mono">${escapeHtml(runs)}</p></div>`;
    })
    .join('\n');
}

function runDetails(r: RunRow): string {
  const facts: [string, string][] = [
    ['Model · loss · seed', `${r.model} · ${r.loss} · seed ${r.seed}${r.dataset ? ` · ${r.dataset}` : ''}`],
    ['State', `${r.state}${r.reason ? `: ${r.reason}` : ''} (${r.epochsDone}/${r.epochs} epochs${r.updatedAt ? `, last update ${readableTime(r.updatedAt)}` : ''})`],
    ['Final test accuracy', r.finalTestAcc ? `${percent(r.finalTestAcc.acc)}${r.finalTestAcc.partial ? ' (last finished epoch)' : ''}` : '—'],
    ['Backend', r.backend ?? 'not recorded'],
    ['Wall time', r.wallSeconds ? wallText(r.wallSeconds.seconds, r.wallSeconds.partial) : '—'],
    ['Machine', r.machine ? machineText(r.machine) : 'not recorded'],
    ['Software', r.versions ? versionsText(r.versions) : 'not recorded'],
    ['Trainable parameters', r.trainableParams !== undefined ? r.trainableParams.toLocaleString('en-US') : '—'],
  ];
  const dl = facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  const warnings = r.warnings.length ? `<div class="warnings">${escapeHtml(r.warnings.join('\n'))}</div>` : '';
  const config = r.spec ? `<p class="muted">config.json (the resolved run):</p><pre>${escapeHtml(readableJson(r.spec))}</pre>` : '<p class="muted">No config.json.</p>';
  return `<details${attr('id', `run-${r.runId}`)}><summary><span class="mono">${escapeHtml(r.runId)}</span> <span class="muted">— ${escapeHtml(r.state)}</span></summary>
<dl class="facts">${dl}</dl>${warnings}${config}</details>`;
}

export interface ReportPage {
  model: ReportModel;
  /** The report script's source (dist/report.js). */
  script: string;
  generatedAt: Date;
  /** The writer's home folder, written as `~` everywhere in the page (default: this machine's). */
  home?: string;
}

export function reportHtml(page: ReportPage): string {
  return withoutHome(pageHtml(page), page.home ?? os.homedir());
}

function pageHtml({ model, script, generatedAt }: ReportPage): string {
  const { experiment, snapshot } = model;
  const manifest = experiment.manifest;
  const config = manifest?.config;
  const counts = new Map<string, number>();
  for (const r of model.runs) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  const states = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  const datasets = [...new Set(snapshot.runs.map((r) => r.datasetLabel).filter(Boolean))];
  const warnings = snapshot.warnings;
  // A script block must not close itself early; the bundle never contains "</script" but make sure.
  const safeScript = script.replace(/<\/(script)/gi, '<\\/$1').replace(/\n\/\/# sourceMappingURL=.*$/m, '');
  const title = `Loss Lab report: ${experiment.name}`;

  const curveSections = model.curves.map((c) => `<h3>${escapeHtml(c.title)}</h3>\n<div class="grid">${c.figures.map(chartFigure).join('\n')}</div>`).join('\n');
  const diagnosticSections = model.diagnostics.map((d) => `<h3>${escapeHtml(d.title)}</h3>\n<div class="grid">${d.figures.map(chartFigure).join('\n')}</div>`).join('\n');

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"${attr('content', reportCsp(safeScript, REPORT_CSS))}>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Loss Lab">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
${config?.description ? `<p>${escapeHtml(config.description)}</p>` : ''}
<p class="muted">${escapeHtml([datasets.join(', '), `${plural(model.runs.length, 'run')}${states ? ` (${states})` : ''}`, `generated ${readableTime(generatedAt)}`].filter(Boolean).join(' · '))}</p>
${warnings.length ? `<div class="warnings">${escapeHtml(warnings.join('\n'))}</div>` : ''}
</header>
<main>
<section id="table"><h2>Comparison</h2>
${model.tuning ? `<p class="hint">${escapeHtml(FINAL_TABLE_NOTE)}</p>\n` : ''}${figure(model.tableFigure, comparisonTable(model), 'table-figure')}
</section>
${model.tuning ? tuningHtml(model.tuning) : ''}
${model.sweeps.length ? `<section id="sweeps"><h2>Sweeps</h2>\n<p class="hint">Final test accuracy against each swept value; one line per setting of everything else, mean ± std over seeds; a dashed flat line is a loss without the swept field.</p>\n<div class="grid">${model.sweeps.map(chartFigure).join('\n')}</div>\n</section>` : ''}
${model.curves.length ? `<section id="curves"><h2>Training curves</h2>\n<p class="hint">One line per run, coloured by loss, dashed by model; bands: mean ± std over the seeds of a setting.</p>\n${curveSections}\n</section>` : ''}
${model.diagnostics.length ? `<section id="diagnostics"><h2>Logits and weight norms (paper Figs. 2–3)</h2>\n<p class="hint">On the test split at the end of training. Filled: each run's outputs, as its legend entry names them (logits W·f + b, or s·cos θ for a cosine head); dashed: after the scaled BN.</p>\n${diagnosticSections}\n</section>` : ''}
<section id="dataset"><h2>Dataset</h2>
${datasetSection(model)}
</section>
<section id="runs"><h2>Runs</h2>
${runsTable(model.runs)}
<h3>Machines and software</h3>
${environmentTable(model.runs.filter((r) => r.state !== 'not started'))}
<h3>Each run</h3>
${model.runs.map(runDetails).join('\n')}
</section>
<section id="experiment"><h2>Experiment config</h2>
${
  manifest
    ? `<p class="muted">${escapeHtml(`${manifest.configPath ? `From ${manifest.configPath.split(/[\\/]/).pop()}, ` : ''}validated with defaults filled in; grid started ${readableTime(manifest.writtenAt)}.`)}</p><pre>${escapeHtml(readableJson(config))}</pre>`
    : '<p class="muted">No experiment.json in the folder: each run\'s own config.json is above.</p>'
}
</section>
</main>
<script type="application/json" id="${REPORT_DATA_ELEMENT}">${scriptJson(model.data)}</script>
<script>${safeScript}</script>
</body>
</html>
`;
}

/**
 * report.html with one more script (the figure capture, webview/reportCapture.ts) allowed by
 * a nonce and appended after the report's own, for drawing the PNGs in a VS Code webview.
 * Everything else, the CSP's hashes included, stays as written.
 */
export function withCaptureScript(html: string, script: string, nonce: string): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(nonce)) throw new Error('withCaptureScript: the nonce must be 16 or more base64 characters');
  const csp = /(<meta http-equiv="Content-Security-Policy" content="[^"]*script-src )/;
  if (!csp.test(html) || !html.includes('</body>')) throw new Error('withCaptureScript: not a Loss Lab report page (no script-src policy or no </body>)');
  const safeScript = script.replace(/<\/(script)/gi, '<\\/$1').replace(/\n\/\/# sourceMappingURL=.*$/m, '');
  const i = html.lastIndexOf('</body>');
  return `${html.slice(0, i).replace(csp, `$1'nonce-${nonce}' `)}<script nonce="${nonce}">${safeScript}</script>\n${html.slice(i)}`;
}
