/** Chart.js options shared by the panel's charts, coloured from the VS Code theme. */
import Chart from 'chart.js/auto';
import type { ChartDataset, ChartOptions, ChartType, LegendElement, LegendItem } from 'chart.js';
import { countPoints } from './series';
import type { Theme } from './theme';

export function applyDefaults(theme: Theme): void {
  Chart.defaults.color = theme.foreground;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.fontFamily;
}

/** An axis in theme colours; `integer` for epochs, whose ticks must not fall between two epochs. */
export function axis(theme: Theme, title: string, type: 'linear' | 'logarithmic' | 'category' = 'linear', integer = false) {
  return {
    type,
    title: { display: true, text: title, color: theme.muted },
    ticks: { color: theme.foreground, ...(integer ? { precision: 0 } : {}) },
    grid: { color: theme.grid },
  } as const;
}

/** Options every chart starts from: no animation (updates come often), sized by its box. */
export function baseOptions<T extends ChartType>(): ChartOptions<T> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', intersect: false },
  } as ChartOptions<T>;
}

/** Writes the number of plotted points on the canvas (hidden datasets' not counted), for people's tools and tests alike. */
export function markPoints(chart: Chart): void {
  const shown = (chart.data.datasets as ChartDataset[]).filter((_d, i) => chart.isDatasetVisible(i));
  chart.canvas.setAttribute('data-points', String(countPoints(shown)));
}

/** Whoever keeps the datasets' visibility (the curves' store): a legend click goes to it, and it says which groups are hidden. */
export interface LegendKeeper {
  toggle(group: string): void;
  isHidden(group: string): boolean;
}

/**
 * A legend with one entry per group (e.g. loss setting) that toggles every dataset of the group,
 * or, given a keeper, hands the click to it. A hidden group's entry is struck through and faded.
 */
export function groupLegend(groupOf: WeakMap<object, string>, colourOf: (group: string) => string, theme: Theme, keeper?: LegendKeeper) {
  const datasetsOf = (chart: Chart, group: string) => chart.data.datasets.filter((d) => groupOf.get(d) === group);
  return {
    labels: {
      color: theme.foreground,
      generateLabels: (chart: Chart): LegendItem[] => {
        const groups = [...new Set(chart.data.datasets.map((d) => groupOf.get(d)).filter((g): g is string => g !== undefined))];
        return groups.map((group) => {
          // The keeper's word: its bands stay visible (emptied) while the group's runs are hidden.
          const hidden = keeper ? keeper.isHidden(group) : datasetsOf(chart, group).every((d) => d.hidden);
          return { text: group, fillStyle: colourOf(group), strokeStyle: colourOf(group), fontColor: hidden ? theme.muted : theme.foreground, lineWidth: 2, hidden };
        });
      },
    },
    onClick: (_e: unknown, item: LegendItem, legend: LegendElement<'line'>) => {
      if (keeper) return keeper.toggle(item.text);
      const chart = legend.chart;
      const datasets = datasetsOf(chart, item.text);
      const hide = !datasets.every((d) => d.hidden);
      for (const d of datasets) d.hidden = hide;
      chart.update('none');
    },
  };
}
