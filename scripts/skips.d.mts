/** Types of skips.mjs, for the TypeScript drivers that import it. */
export const HARDWARE_SKIP: string;
export function judgeSkips(skips: { name: string; file?: string; reason: string }[], suite: string): number;
