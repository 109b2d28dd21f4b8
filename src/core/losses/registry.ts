/**
 * Every built-in loss, one descriptor each (builtin/). The config type, the schema's loss section,
 * ids, labels, defaults, the head and the parity harness's cases are derived from this list:
 * adding a loss is adding its file here (docs/adding-a-loss.md).
 */
import { amSoftmax } from './builtin/amSoftmax';
import { arcFace } from './builtin/arcFace';
import { ce } from './builtin/ce';
import { center } from './builtin/center';
import { cosFace } from './builtin/cosFace';
import { focal } from './builtin/focal';
import { labelSmoothing } from './builtin/labelSmoothing';
import { normFace } from './builtin/normFace';
import { pedcc } from './builtin/pedcc';
import { scaledBn } from './builtin/scaledBn';
import { sphereFace } from './builtin/sphereFace';
import type { ConfigOf, LossDescriptor } from './descriptor';

/** In the order the config editor lists them. */
const BUILTIN_LOSSES = [ce, scaledBn, amSoftmax, pedcc, arcFace, cosFace, normFace, labelSmoothing, focal, center, sphereFace] as const;

/** `{ name, ...options }` of each built-in loss. */
export type BuiltinLossConfig = ConfigOf<(typeof BUILTIN_LOSSES)[number]>;

/** The same list with the options untyped, for code that handles any loss (ids, labels, schema). */
export const LOSS_DESCRIPTORS = BUILTIN_LOSSES as readonly unknown[] as readonly LossDescriptor<string, object>[];

const byName = new Map(LOSS_DESCRIPTORS.map((d) => [d.name, d]));

/** The descriptor of a built-in loss; undefined for `custom` and unknown names. */
export function lossDescriptor(name: string): LossDescriptor<string, object> | undefined {
  return byName.get(name);
}

/** The options part of a loss config: everything but its name. */
export function lossOptions(loss: { name: string }): Record<string, unknown> {
  const { name: _name, ...options } = loss as Record<string, unknown>;
  return options;
}

/** A loss's place in the order the config editor lists the built-in losses; custom and unknown ones after them all. */
export function lossRank(name: string): number {
  const i = LOSS_DESCRIPTORS.findIndex((d) => d.name === name);
  return i === -1 ? LOSS_DESCRIPTORS.length : i;
}

/** What Fig. 2 plots for a loss: its descriptor's outputs, or for a custom module what `outputs()` gives (its scores by default). */
export function outputsLabel(loss: { name: string }): string {
  return lossDescriptor(loss.name)?.records.outputs ?? "the module's outputs";
}
