/**
 * The curves' controls: the smoothing slider, the x-axis switch (epoch, step, wall time), and
 * on each chart its log/linear button, its zoom reset and its save buttons. What someone sets
 * is handed to `onChange`, which keeps it in the webview state, so it survives reloads.
 */
import { CHART_IMAGE_FORMATS, CURVE_X_AXES, type ChartImageFormat, type CurveXAxis } from '../src/protocol/webview';
import type { CurveCharts } from './curves';
import type { CurveViewOptions } from './curveStore';
import { perFrame } from './frameThrottle';
import { METRICS, type MetricKey } from './series';

/** The slider's read-out: "off", or the EMA weight. */
function smoothingText(weight: number): string {
  return weight > 0 ? weight.toFixed(2) : 'off';
}

/** Under the x-axis switch: on the step axis, how many runs recorded no step points and so are not drawn. */
export function stepAxisNote(mode: CurveXAxis, runsWithoutSteps: number): string {
  if (mode !== 'step' || runsWithoutSteps === 0) return '';
  return `${runsWithoutSteps} run${runsWithoutSteps === 1 ? '' : 's'} recorded no step-level points and ${runsWithoutSteps === 1 ? 'is' : 'are'} not drawn against steps.`;
}

const isMetric = (v: string | undefined): v is MetricKey => METRICS.includes(v as MetricKey);
const isXAxis = (v: string | undefined): v is CurveXAxis => CURVE_X_AXES.includes(v as CurveXAxis);
const isImageFormat = (v: string | undefined): v is ChartImageFormat => CHART_IMAGE_FORMATS.includes(v as ChartImageFormat);

export function bindCurveControls(
  charts: CurveCharts,
  initial: CurveViewOptions,
  onChange: (options: CurveViewOptions) => void,
  saveChart: (metric: MetricKey, format: ChartImageFormat) => void,
): { showXAxisNote(): void } {
  const options: CurveViewOptions = { smoothing: initial.smoothing ?? 0, logAxes: { ...initial.logAxes }, xAxis: initial.xAxis ?? 'epoch' };
  const slider = document.getElementById('smoothing') as HTMLInputElement | null;
  const readout = document.getElementById('smoothing-value');
  const showSmoothing = () => {
    if (slider) slider.value = String(options.smoothing);
    if (readout) readout.textContent = smoothingText(options.smoothing ?? 0);
  };
  // A drag fires many inputs a frame: the read-out follows each, the curves redraw once a frame.
  const smoothCurves = perFrame((weight: number) => charts.setSmoothing(weight));
  slider?.addEventListener('input', () => {
    options.smoothing = Number(slider.value);
    smoothCurves(options.smoothing);
    showSmoothing();
    onChange(options);
  });
  showSmoothing();

  const xAxis = document.getElementById('x-axis') as HTMLSelectElement | null;
  const xNote = document.getElementById('x-axis-note');
  // Says why runs vanish from the step axis rather than leave an empty chart unexplained.
  const showXAxisNote = () => {
    if (xNote) xNote.textContent = stepAxisNote(charts.xAxisMode, charts.runsWithoutSteps);
  };
  if (xAxis) {
    xAxis.value = options.xAxis!;
    xAxis.addEventListener('change', () => {
      if (!isXAxis(xAxis.value)) return;
      options.xAxis = xAxis.value;
      charts.setXAxis(xAxis.value);
      showXAxisNote();
      onChange(options);
    });
  }

  document.querySelectorAll<HTMLButtonElement>('button.axis-toggle').forEach((button) => {
    const metric = button.dataset.metric;
    if (!isMetric(metric)) return;
    const show = () => {
      const log = charts.isLog(metric);
      button.setAttribute('aria-pressed', String(log));
      button.textContent = log ? 'y: log' : 'y: linear';
    };
    button.addEventListener('click', () => {
      const log = !charts.isLog(metric);
      charts.setLogScale(metric, log);
      options.logAxes = { ...options.logAxes, [metric]: log };
      show();
      onChange(options);
    });
    show();
  });

  const resets = new Map<MetricKey, HTMLButtonElement>();
  document.querySelectorAll<HTMLButtonElement>('button.zoom-reset').forEach((button) => {
    const metric = button.dataset.metric;
    if (!isMetric(metric)) return;
    resets.set(metric, button);
    button.disabled = !charts.isZoomed(metric);
    button.addEventListener('click', () => charts.resetZoom(metric));
  });
  charts.onZoomChange = (metric, zoomed) => {
    const button = resets.get(metric);
    if (button) button.disabled = !zoomed;
  };

  document.querySelectorAll<HTMLButtonElement>('button.save-chart').forEach((button) => {
    const { metric, format } = button.dataset;
    if (isMetric(metric) && isImageFormat(format)) button.addEventListener('click', () => saveChart(metric, format));
  });
  return { showXAxisNote };
}
