/**
 * At most one call per animation frame, with the latest arguments: a slider or a pointer fires
 * many events a frame, and each redraw of 72 runs' curves costs more than a frame.
 */
export function perFrame<A extends unknown[]>(fn: (...args: A) => void, schedule: (cb: () => void) => unknown = requestAnimationFrame): (...args: A) => void {
  let pending: A | undefined;
  return (...args: A) => {
    const scheduled = pending !== undefined;
    pending = args;
    if (scheduled) return;
    schedule(() => {
      const latest = pending!;
      pending = undefined;
      fn(...latest);
    });
  };
}
