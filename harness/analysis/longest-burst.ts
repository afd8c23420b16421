export interface Burst {
  /** Most queries inside any one span. 0 when there were none. */
  readonly count: number;
  /** Time of the first query of that busiest span (undefined when count is 0). */
  readonly startMs: number | undefined;
}

/**
 * The longest burst: the most events inside any half-open span
 * [t, t + spanMs) (default 1 s), sliding t over the events themselves.
 * A sliding span (not fixed 1 s bins) so a burst straddling a second
 * boundary is not split in two. `times` must be sorted ascending.
 */
export function longestBurst(times: readonly number[], spanMs = 1000): Burst {
  let best = 0;
  let bestStart: number | undefined;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= spanMs) first++;
    const count = last - first + 1;
    if (count > best) {
      best = count;
      bestStart = times[first];
    }
  }
  return { count: best, startMs: bestStart };
}
