/**
 * A loss descriptor: everything Loss Lab knows about one loss, in one place. The config type,
 * the schema's loss section, run ids, labels, the head and the parity harness's cases are all
 * read from the descriptors in registry.ts. The head is made through the same call a user's
 * loss module answers (customModule.ts), so each built-in is also an example of one.
 */
import type { CustomLossContext } from './lossModule';
import type { LossHead } from './head';

/** A JSON Schema fragment, as the experiment schema publishes it. */
export type JsonSchema = Record<string, unknown>;

/** What the head factory receives: a custom module's context with typed options. */
interface LossContext<O> extends Omit<CustomLossContext, 'options' | 'seed'> {
  options: O;
  seed: number;
}

/** An option shown in ids and labels when set away from its default (or swept), as [id fragment, label fragment]. */
interface OptionTag<O> {
  field: keyof O & string;
  tag(value: NonNullable<O[keyof O]>): [id: string, label: string];
}

/** One case of the PyTorch parity harness (parity/run.ts); its mirror is in parity/heads/. */
interface LossParityCase<O> {
  options: O;
  /** Appended to the case id where one loss has several cases, e.g. `-easy-margin`. */
  variant?: string;
  /** Run on every network, not only the two that check the later heads. */
  everyModel?: boolean;
}

export interface LossDescriptor<N extends string = string, O extends object = object> {
  name: N;
  /** One line for the config editor's completion list. */
  summary: string;
  /** The options as the experiment schema checks them: `properties`, `required`; their `minimum`/`maximum` bound what a sweep may range over. */
  optionsSchema: { required?: (keyof O & string)[]; properties: { [K in keyof O]-?: JsonSchema } };
  /** Defaults the schema leaves unset on purpose, so that older configs keep their filled-in form; ids and labels leave them out too. */
  unpublishedDefaults?: Partial<O>;
  /** Id fragment and label before the optional tags: `am-softmax-s7.5-m0.35`, `AM-Softmax s=7.5 m=0.35`. */
  key(options: O): string;
  label(options: O): string;
  /** Optional options named in ids and labels, in this order. */
  tags?: OptionTag<O>[];
  /** Options that hold a list without it being a sweep (focal's per-class α). */
  listOptions?: (keyof O & string)[];
  /** The config editor's snippet for this loss; its label defaults to `label(options)`. */
  snippet: { options: O; label?: string };
  /** The head: the same factory a user's loss module exports. */
  createLoss(ctx: LossContext<O>): LossHead;
  /**
   * What the run records for the figures: `outputs` names the values the head's `outputs()` gives (Fig. 2's
   * x axis: "logits W·f + b", "s·cos θ"), then whether there are logits after a BN (Fig. 2) and per-class weights (Fig. 3).
   */
  records: { outputs: string; logitsAfterBn: boolean; classWeights: boolean };
  parity: LossParityCase<O>[];
}

/** Types a descriptor's options from its declaration. */
export function defineLoss<N extends string, O extends object>(descriptor: LossDescriptor<N, O>): LossDescriptor<N, O> {
  return descriptor;
}

/** The config of a descriptor's loss: `{ name, ...options }`. */
export type ConfigOf<D> = D extends LossDescriptor<infer N, infer O> ? { name: N } & O : never;
