/**
 * The curves' toolbar selects beyond smoothing and the x axis: what the lines are coloured by,
 * the baseline run drawn in every chart, and which of the other recorded series (learning rate,
 * throughput, epoch time) is shown beside the four curves. Choices go to `onChange`, which keeps
 * them in the webview state.
 */
import type { RunView } from '../src/protocol/webview';
import { runTitle } from '../src/core/results/runTitle';
import { colourFields, DEFAULT_COLOUR_BY } from './colourBy';
import type { CurveCharts } from './curves';
import { METRICS, type MetricKey } from './series';

/** The series each epoch records besides the four curves: shown one at a time on request. */
export const EXTRA_METRICS: readonly MetricKey[] = METRICS.slice(4);

export interface CurveGrouping {
  colourBy: string;
  baseline?: string;
  /** The extra series shown (none when absent). */
  extraMetric?: MetricKey;
}

const option = (value: string, text: string) => Object.assign(document.createElement('option'), { value, textContent: text });

export function bindCurveGrouping(
  charts: CurveCharts,
  initial: CurveGrouping,
  onChange: (grouping: CurveGrouping, recoloured: boolean) => void,
): {
  reset(runs: readonly RunView[]): void;
  update(run: RunView): void;
  /** Pins this run as the baseline (undefined: none), as the Baseline select does. */
  setBaseline(runId: string | undefined): void;
  readonly baseline: string | undefined;
} {
  const state: CurveGrouping = { ...initial };
  const colourBy = document.getElementById('colour-by') as HTMLSelectElement | null;
  const baseline = document.getElementById('baseline-run') as HTMLSelectElement | null;
  const extra = document.getElementById('extra-metric') as HTMLSelectElement | null;
  const runs = new Map<string, RunView>();

  const showExtra = () => {
    document.querySelectorAll<HTMLElement>('[data-extra-metric]').forEach((figure) => {
      figure.hidden = figure.dataset.extraMetric !== state.extraMetric;
    });
  };
  const fill = () => {
    const views = [...runs.values()];
    if (colourBy) {
      const fields = colourFields(views);
      if (!fields.some((f) => f.key === state.colourBy)) state.colourBy = DEFAULT_COLOUR_BY;
      colourBy.replaceChildren(...fields.map((f) => option(f.key, f.label)));
      colourBy.value = state.colourBy;
    }
    if (baseline) {
      if (state.baseline !== undefined && !runs.has(state.baseline)) state.baseline = undefined;
      baseline.replaceChildren(option('', 'none'), ...views.map((r) => option(r.runId, runTitle(r))));
      baseline.value = state.baseline ?? '';
    }
  };

  colourBy?.addEventListener('change', () => {
    state.colourBy = colourBy.value;
    charts.setColourBy(state.colourBy);
    onChange({ ...state }, true);
  });
  const setBaseline = (runId: string | undefined) => {
    state.baseline = runId !== undefined && runs.has(runId) ? runId : undefined;
    if (baseline) baseline.value = state.baseline ?? '';
    charts.setBaseline(state.baseline);
    onChange({ ...state }, true);
  };
  baseline?.addEventListener('change', () => setBaseline(baseline.value || undefined));
  if (extra) {
    extra.value = state.extraMetric ?? '';
    extra.addEventListener('change', () => {
      state.extraMetric = EXTRA_METRICS.find((m) => m === extra.value);
      showExtra();
      onChange({ ...state }, false);
    });
  }
  showExtra();

  return {
    reset(views) {
      runs.clear();
      for (const r of views) runs.set(r.runId, r);
      fill();
      charts.setColourBy(state.colourBy);
      charts.setBaseline(state.baseline);
    },
    update(view) {
      const known = runs.has(view.runId);
      runs.set(view.runId, view);
      if (!known) fill();
    },
    setBaseline,
    get baseline() {
      return state.baseline;
    },
  };
}
