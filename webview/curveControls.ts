/**
 * The curves' smoothing slider and each chart's log/linear button. What someone sets is
 * handed to `onChange`, which keeps it in the webview state, so it survives reloads.
 */
import type { CurveCharts, CurveViewOptions } from './curves';
import { METRICS, type MetricKey } from './series';

/** The slider's read-out: "off", or the EMA weight. */
export function smoothingText(weight: number): string {
  return weight > 0 ? weight.toFixed(2) : 'off';
}

const isMetric = (v: string | undefined): v is MetricKey => METRICS.includes(v as MetricKey);

export function bindCurveControls(charts: CurveCharts, initial: CurveViewOptions, onChange: (options: CurveViewOptions) => void): void {
  const options: CurveViewOptions = { smoothing: initial.smoothing ?? 0, logAxes: { ...initial.logAxes } };
  const slider = document.getElementById('smoothing') as HTMLInputElement | null;
  const readout = document.getElementById('smoothing-value');
  const showSmoothing = () => {
    if (slider) slider.value = String(options.smoothing);
    if (readout) readout.textContent = smoothingText(options.smoothing ?? 0);
  };
  slider?.addEventListener('input', () => {
    options.smoothing = Number(slider.value);
    charts.setSmoothing(options.smoothing);
    showSmoothing();
    onChange(options);
  });
  showSmoothing();

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
}
