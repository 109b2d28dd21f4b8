/**
 * Chart.js itself in Node, no stand-in: without a DOM it draws through its basic platform on
 * whatever canvas it is given; this one's 2D context accepts every call and draws nothing. The
 * page the charts read (a white background, new canvases) is installed on globalThis.
 */

/** A 2D context that accepts every call and property, measuring text at 6 px a character. */
function silentContext(canvas: object): unknown {
  const own: Record<string | symbol, unknown> = {
    canvas,
    measureText: (t: string) => ({ width: t.length * 6, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2 }),
    getLineDash: () => [],
  };
  return new Proxy(own, { get: (t, k) => (k in t ? t[k] : () => undefined), set: (t, k, v) => ((t[k] = v), true) });
}

export function fakeCanvas() {
  const attributes = new Map<string, string>();
  const canvas = {
    width: 600,
    height: 300,
    style: {},
    getContext: () => silentContext(canvas),
    setAttribute: (k: string, v: string) => attributes.set(k, v),
    getAttribute: (k: string) => attributes.get(k) ?? null,
  };
  return canvas;
}

// What the charts use of the page: a white background (veiling a highlight) and canvases (the datasets' copy).
Object.assign(globalThis, { document: { body: { parentElement: null }, createElement: fakeCanvas }, getComputedStyle: () => ({ backgroundColor: 'rgb(255, 255, 255)' }) });
