import { gammaQuantile } from './incomplete-gamma.js';

/*
 * Exact (Garwood 1936) confidence bounds for the mean of a Poisson count,
 * from gamma quantiles (equivalently chi-square quantiles / 2):
 *   lower(k) = Gamma(k, 1) quantile at alpha        (0 when k = 0)
 *   upper(k) = Gamma(k + 1, 1) quantile at 1 - alpha
 * with alpha the error allowed on that one side. Non-integer k is accepted
 * (the gamma extension), which lets analysis ask "what would the bound be at
 * the observed rate over a longer window".
 *
 * Which bound decides what (documented in docs of evaluate-expectation.ts):
 * every verdict is a one-sided question ("at most", "at least"), so each is
 * decided by a one-sided 95% bound (alpha = 0.05 on that side): for k = 0 the
 * upper bound is 2.996 (= -ln 0.05), not the two-sided 3.689. Messages also
 * show the two-sided 95% interval (alpha = 0.025 per side) as a description.
 */

/** One-sided upper bound on the Poisson mean after observing k events. */
export function poissonUpper(k: number, alpha = 0.05): number {
  checkCount(k);
  return gammaQuantile(k + 1, 1 - alpha);
}

/** One-sided lower bound on the Poisson mean after observing k events (0 for k = 0). */
export function poissonLower(k: number, alpha = 0.05): number {
  checkCount(k);
  return k === 0 ? 0 : gammaQuantile(k, alpha);
}

export interface PoissonInterval {
  readonly lower: number;
  readonly upper: number;
}

/** Two-sided exact interval at `confidence` (0.95: 2.5% on each side). */
export function poissonInterval(k: number, confidence = 0.95): PoissonInterval {
  const alpha = (1 - confidence) / 2;
  return { lower: poissonLower(k, alpha), upper: poissonUpper(k, alpha) };
}

function checkCount(k: number): void {
  if (!(k >= 0) || !Number.isFinite(k)) throw new RangeError(`Poisson count must be finite and >= 0 (got ${k})`);
}
