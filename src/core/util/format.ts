// The small text formats every layer shares (CLI, reports, extension, webview).

/** A fraction as a percentage: 0.93125 → "93.13%" (digits after the point). */
export const percent = (fraction: number, digits = 2): string => `${(fraction * 100).toFixed(digits)}%`;

/** "1 run", "3 runs". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text safe as HTML (or SVG) element content. */
export const escapeHtml = (s: string): string => s.replace(/[&<>]/g, (c) => ESCAPES[c]);

/** Text safe inside a double-quoted HTML or SVG attribute value (and as content). */
export const escapeAttribute = (s: string): string => s.replace(/[&<>"]/g, (c) => ESCAPES[c]);
