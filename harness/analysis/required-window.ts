import { bisect, growUntil } from './bisect.js';

/** Longest window ever suggested: beyond about 30 years the answer is "never" in practice. */
const MAX_SECONDS = 1e9;

/**
 * The shortest whole number of seconds of observation at which `decidesAt`
 * (the verdict's bound test, evaluated at the observed rate scaled to that
 * length) would settle the question. Undefined when no length up to about
 * 30 years would (e.g. the observed rate equals the limit exactly).
 * `decidesAt` must be monotone: once decided, longer windows decide too,
 * which holds for the exact bounds at a fixed rate.
 */
export function requiredWindowS(decidesAt: (seconds: number) => boolean, currentS: number): number | undefined {
  if (decidesAt(currentS)) return Math.ceil(currentS);
  const hi = growUntil(decidesAt, Math.max(currentS, 1) * 2, MAX_SECONDS * 2);
  if (hi === undefined) return undefined;
  let n = Math.ceil(bisect(decidesAt, currentS, hi, 1e-12));
  // The bisection answer is within rounding of the switch point: step to the first whole second that decides.
  while (!decidesAt(n)) n++;
  while (n - 1 > currentS && decidesAt(n - 1)) n--;
  return n;
}
