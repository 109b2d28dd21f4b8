/**
 * Legend entries for the dash patterns: with several models in one chart, a line's dash says
 * which model it is, and the legend says which dash is which. Pure, unit-tested.
 */
import type { LegendItem } from 'chart.js';
import { MODEL_DASHES } from './series';

/** One entry per model, in the order of their dashes; none for a single model (every line is solid). */
export function modelLegendItems(models: readonly string[], dashOf: (model: string) => number, colour: string): LegendItem[] {
  if (models.length < 2) return [];
  return [...models]
    .sort((a, b) => dashOf(a) - dashOf(b))
    .map((model) => ({
      text: model,
      fillStyle: 'transparent',
      strokeStyle: colour,
      fontColor: colour,
      lineWidth: 2,
      lineDash: MODEL_DASHES[dashOf(model) % MODEL_DASHES.length],
      hidden: false,
    }));
}
