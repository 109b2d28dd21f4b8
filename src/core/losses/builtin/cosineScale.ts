/** What the losses on cosine logits share: the scale s and margin m options, and their ids. */
import type { JsonSchema } from '../descriptor';

export const SCALE: JsonSchema = { $ref: '#/definitions/scale' };
const COSINE_MARGIN: JsonSchema = { $ref: '#/definitions/margin' };

/** The options of AM-Softmax and the losses built on it. */
export const SCALE_AND_MARGIN = { s: SCALE, m: COSINE_MARGIN };

/** `am-softmax-s7.5-m0.35` */
export const scaleMarginKey =
  (name: string) =>
  ({ s, m }: { s: number; m: number }): string =>
    `${name}-s${s}-m${m}`;

/** `AM-Softmax s=7.5 m=0.35` */
export const scaleMarginLabel =
  (title: string) =>
  ({ s, m }: { s: number; m: number }): string =>
    `${title} s=${s} m=${m}`;
