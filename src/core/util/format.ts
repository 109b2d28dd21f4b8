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

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "7 Dec 2026, 21:22 UTC": a moment as a reader of a shared page reads it, the same wherever it was written. Unparseable text is returned as it is. */
export function readableTime(when: Date | string): string {
  const d = typeof when === 'string' ? new Date(when) : when;
  if (Number.isNaN(d.getTime())) return String(when);
  const hm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hm} UTC`;
}

/** `text` with the home folder written as `~`: a shared page should not carry the writer's user name. */
export function withoutHome(text: string, home: string): string {
  if (!home || home === '/') return text;
  const trimmed = home.replace(/[\\/]+$/, '');
  // The folder itself or a path inside it, never a longer name that starts the same (/root in /rootfs).
  return text.replace(new RegExp(`${trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.-])`, 'g'), '~');
}
