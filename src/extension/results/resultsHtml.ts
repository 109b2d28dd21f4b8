/**
 * The results panel's page. Everything it loads comes from the extension (dist/, media/)
 * under a strict Content-Security-Policy: scripts only with the nonce, styles only from
 * the extension, nothing from the network. Chart.js sets canvas sizes through
 * element.style (CSSOM), which style-src does not restrict, so no 'unsafe-inline'. No vscode here.
 */
import { randomBytes } from 'node:crypto';
import { escapeAttribute } from '../../core/util/format';

export interface ResultsPageResources {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

export function contentSecurityPolicy({ cspSource, nonce }: Pick<ResultsPageResources, 'cspSource' | 'nonce'>): string {
  return ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${cspSource} 'nonce-${nonce}'`, `img-src ${cspSource} data:`, `font-src ${cspSource}`].join('; ');
}

const figure = (id: string, title: string, extraClass = '') => `
      <figure class="chart${extraClass}">
        <figcaption>${title}</figcaption>
        <div class="chart-box"><canvas id="${id}" data-points="0" role="img" aria-label="${title}"></canvas></div>
      </figure>`;

/**
 * A training-curve figure, with its buttons: the y axis between log and linear, back to the
 * full x range after a zoom, and the chart saved as PNG, SVG, or its data as CSV or JSON.
 * `extra`: one of the other recorded series, hidden until picked under "Also show".
 */
const curveFigure = (id: string, title: string, metric: string, extra = false) => `
      <figure class="chart"${extra ? ` data-extra-metric="${metric}" hidden` : ''}>
        <figcaption>${title}
          <span class="chart-actions">
            <button type="button" class="axis-toggle" data-metric="${metric}" aria-pressed="false" title="Switch the y axis between log and linear scale">y: log</button>
            <button type="button" class="zoom-reset" data-metric="${metric}" disabled title="Back to the whole x range (or double-click the chart)">Reset zoom</button>
            <button type="button" class="save-chart" data-metric="${metric}" data-format="png" title="Save this chart as a PNG image">PNG</button>
            <button type="button" class="save-chart" data-metric="${metric}" data-format="svg" title="Save this chart as an SVG vector image">SVG</button>
            <button type="button" class="save-chart" data-metric="${metric}" data-format="csv" title="Save the values drawn (smoothed when smoothing is on) as CSV">CSV</button>
            <button type="button" class="save-chart" data-metric="${metric}" data-format="json" title="Save the values drawn (smoothed when smoothing is on) as JSON">JSON</button>
          </span>
        </figcaption>
        <div class="chart-box"><canvas id="${id}" data-points="0" role="img" aria-label="${title}"></canvas></div>
      </figure>`;

export function resultsHtml(res: ResultsPageResources): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(res))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeAttribute(res.styleUri)}" nonce="${res.nonce}">
  <title>Loss Lab Results</title>
</head>
<body>
  <header>
    <h1 id="experiment-name">Loss Lab Results</h1>
    <p id="experiment-description"></p>
    <div id="run-status" role="status" aria-live="polite" aria-label="Runs"></div>
    <div id="warnings" hidden></div>
  </header>
  <main>
    <!-- The curves first: what the panel is opened for, above the fold. -->
    <section aria-labelledby="curves-heading">
      <h2 id="curves-heading">Training curves <span class="hint">(one line per run, coloured by loss or the field picked; bands: mean ± std over seeds)</span></h2>
      <div class="controls">
        <label for="smoothing">Smoothing</label>
        <input type="range" id="smoothing" min="0" max="0.95" step="0.05" value="0" aria-describedby="smoothing-value">
        <output id="smoothing-value" for="smoothing">off</output>
        <label for="x-axis">x axis</label>
        <select id="x-axis">
          <option value="epoch">epoch</option>
          <option value="step">step</option>
          <option value="wall">wall time</option>
        </select>
        <span id="x-axis-note" class="hint" role="status"></span>
        <label for="colour-by">Colour by</label>
        <select id="colour-by"><option value="loss">loss setting</option></select>
        <label for="baseline-run">Baseline</label>
        <select id="baseline-run" title="A run drawn grey and dashed in every chart"><option value="">none</option></select>
        <label for="extra-metric">Also show</label>
        <select id="extra-metric">
          <option value="">nothing more</option>
          <option value="lr">learning rate</option>
          <option value="imagesPerSec">throughput</option>
          <option value="seconds">epoch time</option>
        </select>
        <span class="hint">Drag to zoom, Alt + wheel to zoom, Shift + drag to pan, double-click to reset</span>
        <span id="curves-notice" role="status" aria-live="polite"></span>
      </div>
      <details class="run-list" open>
        <summary>Runs <span id="run-list-count" class="hint"></span></summary>
        <input type="search" id="run-list-filter" placeholder="Filter runs: loss, model, seed…" aria-label="Filter runs">
        <ul id="run-list" aria-label="Runs drawn in the curves"></ul>
      </details>
      <div class="grid">${curveFigure('chart-test-acc', 'Test accuracy', 'testAcc')}${curveFigure('chart-train-acc', 'Train accuracy', 'trainAcc')}${curveFigure('chart-train-loss', 'Train loss', 'trainLoss')}${curveFigure('chart-test-loss', 'Test loss', 'testLoss')}${curveFigure('chart-lr', 'Learning rate', 'lr', true)}${curveFigure('chart-throughput', 'Throughput (images/s)', 'imagesPerSec', true)}${curveFigure('chart-epoch-time', 'Epoch time (s)', 'seconds', true)}
      </div>
    </section>
    <section id="compare" aria-labelledby="compare-heading" hidden>
      <h2 id="compare-heading">Compared runs <span class="hint">(their curves drawn together; the config fields that differ)</span></h2>
      <div class="table-wrap">
        <table id="config-diff" aria-describedby="config-diff-note"><thead></thead><tbody></tbody></table>
      </div>
      <p id="config-diff-note" class="hint"></p>
      <div class="controls"><button id="compare-clear" type="button">Show all runs</button></div>
    </section>
    <section aria-labelledby="runs-heading">
      <h2 id="runs-heading">Runs <span class="hint">(click a header to sort; click a run to show it in the logit and weight-norm figures, Shift+click to compare with it; ☆ pins it as the baseline)</span></h2>
      <div class="controls">
        <label for="run-table-filter">Filter</label>
        <input type="search" id="run-table-filter" placeholder="loss, seed, backend, state…" aria-describedby="run-table-count">
        <span id="run-table-count" class="hint" role="status" aria-live="polite"></span>
      </div>
      <div class="table-wrap scroll-y">
        <table id="run-table" class="runs" aria-labelledby="runs-heading"><thead></thead><tbody></tbody></table>
      </div>
    </section>
    <section aria-labelledby="diag-heading">
      <h2 id="diag-heading">Logits and weight norms</h2>
      <div class="controls">
        <label for="diag-run-a">Run</label>
        <select id="diag-run-a"></select>
        <label for="diag-run-b">compared with</label>
        <select id="diag-run-b"></select>
      </div>
      <p id="diag-empty" class="empty-note" hidden></p>
      <div class="grid">${figure('chart-logits', 'Distribution of the outputs, and after the scaled BN (Fig. 2)')}${figure('chart-weight-norms', 'Per-class weight norms of the last layer (Fig. 3)')}
      </div>
    </section>
    <section id="sweeps" aria-labelledby="sweeps-heading" hidden>
      <h2 id="sweeps-heading">Sweeps <span class="hint">(final test accuracy against each swept value, mean ± std over seeds; dashed: a loss without the swept field)</span></h2>
      <div id="sweep-charts" class="grid"></div>
      <div id="sweep-grid" class="grid" hidden></div>
    </section>
    <section id="tuning" aria-labelledby="tuning-heading" hidden>
      <h2 id="tuning-heading">Tuning <span class="hint">(the hyperparameter search: each study's trials on the validation split, and the configuration it chose)</span></h2>
      <span id="tuning-notice" role="status" aria-live="polite"></span>
      <div id="tuning-studies"></div>
    </section>
    <section aria-labelledby="table-heading">
      <h2 id="table-heading">Final test accuracy, mean (± std) over seeds, %</h2>
      <div class="table-wrap">
        <table id="comparison-table" aria-describedby="table-legend"><thead></thead><tbody></tbody></table>
      </div>
      <p id="table-legend" class="hint">Bold: best in its column. †: includes unfinished runs (accuracy at their last finished epoch). ‡: some runs diverged, left out of the mean, the tests and the best mark.</p>
      <div class="controls" role="group" aria-label="Export the table">
        <button id="export-csv" type="button">Export CSV</button>
        <button id="export-md" type="button">Export Markdown</button>
        <button id="export-latex" type="button">Export LaTeX</button>
        <button id="copy-md" type="button">Copy Markdown</button>
        <span id="table-notice" role="status" aria-live="polite"></span>
      </div>
    </section>
  </main>
  <script nonce="${res.nonce}" src="${escapeAttribute(res.scriptUri)}"></script>
</body>
</html>
`;
}
