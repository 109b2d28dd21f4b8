/**
 * Which of the panel's charts are on the page: the extra series (learning rate, throughput, epoch
 * time) sit in hidden figures until one is chosen. A hidden chart is neither computed nor drawn
 * (at 72 runs each holds 192 datasets); it falls behind, and is brought up to date when it shows.
 */
export class ShownCharts<K> {
  private readonly behind = new Set<K>();

  /** `onShown` runs for a chart that fell behind, once it shows; `lazy` false: every chart counts as shown (the report). */
  constructor(
    private readonly canvasOf: (key: K) => HTMLCanvasElement,
    keys: readonly K[],
    onShown: (key: K) => void,
    private readonly lazy: boolean,
  ) {
    if (!lazy || typeof ResizeObserver === 'undefined') return;
    const keyOf = new Map(keys.map((k) => [canvasOf(k), k]));
    // Shown, a hidden figure's canvas gets a size: whether it is scrolled into view or not, as the others are drawn.
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const key = keyOf.get(entry.target as HTMLCanvasElement);
        if (entry.contentRect.width > 0 && key !== undefined && this.behind.has(key)) onShown(key);
      }
    });
    for (const canvas of keyOf.keys()) observer.observe(canvas);
  }

  /** The shown ones of `keys`; the others are marked as behind. */
  filter(keys: readonly K[]): K[] {
    if (!this.lazy) return [...keys];
    return keys.filter((key) => {
      // A canvas in a hidden figure (display: none) has no offset parent.
      const shown = this.canvasOf(key).offsetParent !== null;
      if (!shown) this.behind.add(key);
      return shown;
    });
  }

  /** Whether a shown chart fell behind while hidden (its data must be rebuilt); it is up to date from here on. */
  catchUp(key: K): boolean {
    return this.behind.delete(key);
  }
}
