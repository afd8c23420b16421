/**
 * Smallest x in [lo, hi] where a monotone predicate turns true, by bisection.
 * The caller guarantees `holds(hi)`; the answer is within `relTol` of the
 * true switch point (relative to hi - lo at the start, plus an absolute floor).
 */
export function bisect(
  holds: (x: number) => boolean,
  lo: number,
  hi: number,
  relTol = 1e-13,
): number {
  const tol = Math.max((hi - lo) * relTol, Number.MIN_VALUE);
  for (let i = 0; i < 2000 && hi - lo > tol; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (holds(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Grows `hi` by doubling from `start` until `holds(hi)`; returns it, or
 * undefined when `limit` is passed first (the predicate may never hold).
 */
export function growUntil(holds: (x: number) => boolean, start: number, limit: number): number | undefined {
  for (let x = start; x <= limit; x *= 2) {
    if (holds(x)) return x;
  }
  return undefined;
}
