/**
 * The views of a sweep over two or more fields, under the sweep charts: a heatmap per setting of
 * the rest for two fields, parallel coordinates for three or more (core/results/sweepGrid.ts),
 * each drawn as SVG (heatmap.ts, parallelCoords.ts) with its export buttons. Nothing shows for a
 * sweep over one field.
 */
import { heatmaps, sweepGrid, type SweepGrid } from '../src/core/results/sweepGrid';
import { gridCsv, gridJson } from './chartData';
import type { ChartSaver } from './chartExport';
import { exportButtons, figureFileName } from './figureExport';
import { heatmapSvg, type SvgColours } from './heatmap';
import { parallelCoordsSvg } from './parallelCoords';
import { SweepRunsView } from './sweepRuns';
import type { Theme } from './theme';

export class SweepGridView extends SweepRunsView {
  private drawn = '';

  constructor(
    private readonly container: HTMLElement,
    private readonly theme: () => Theme,
    private readonly saver: ChartSaver,
  ) {
    super();
  }

  /** Redraws when the grid changed, or always (`force`: a new theme). */
  draw(force = false): void {
    const grid = sweepGrid(this.inputs());
    const theme = this.theme();
    const key = JSON.stringify(grid ?? null);
    if (!force && key === this.drawn) return;
    this.drawn = key;
    this.container.hidden = grid === undefined;
    if (!grid) return this.container.replaceChildren();
    const colours: SvgColours = { foreground: theme.foreground, muted: theme.muted, font: theme.fontFamily };
    const maps = heatmaps(grid);
    const figures =
      maps.length > 0
        ? maps.map((map, i) =>
            this.figure(
              `Final test accuracy (%) over ${map.x.label} and ${map.y.label}, mean over seeds`,
              heatmapSvg(map, grid.accRange, colours),
              grid,
              figureFileName('heatmap', `${map.x.label}-${map.y.label}${maps.length > 1 ? `-${i + 1}` : ''}`),
              'heatmap',
            ),
          )
        : [
            this.figure(
              `Final test accuracy (%) across ${grid.fields.map((f) => f.label).join(', ')}: one line per setting`,
              parallelCoordsSvg(grid, colours),
              grid,
              figureFileName('parallel', grid.fields.map((f) => f.label).join('-')),
              'parallel',
            ),
          ];
    this.container.replaceChildren(...figures);
  }

  private figure(title: string, svg: string, grid: SweepGrid, name: string, kind: string): HTMLElement {
    const figure = document.createElement('figure');
    figure.className = 'chart sweep-grid';
    figure.dataset.sweepView = kind;
    const caption = document.createElement('figcaption');
    caption.textContent = title;
    caption.append(exportButtons(this.saver, () => ({ name, svg: () => svg, csv: () => gridCsv(grid), json: () => gridJson(grid) }), ['svg', 'csv', 'json']));
    const box = document.createElement('div');
    box.className = 'svg-box';
    // Our own SVG string, every label escaped (heatmap.ts, parallelCoords.ts).
    box.innerHTML = svg;
    figure.append(caption, box);
    return figure;
  }
}
