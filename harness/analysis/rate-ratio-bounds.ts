import { betaQuantile } from './incomplete-beta.js';

/*
 * Exact bounds on the ratio of two Poisson rates, rho = rateNew / rateOld,
 * by conditioning on the total (the classical conditional binomial method;
 * Lehmann & Romano, Testing Statistical Hypotheses, 4.5):
 * given n = kNew + kOld, kNew ~ Binomial(n, p) with
 *   p = rho * tNew / (rho * tNew + tOld),  so  rho = p / (1 - p) * tOld / tNew.
 * Clopper-Pearson bounds on p map to bounds on rho. "rho upper bound < f" is
 * exactly the one-sided binomial test of rho >= f at level alpha, so deciding
 * with these bounds is the exact conditional test. Non-integer counts are
 * accepted (beta extension) for "what if we observed longer" questions.
 */

export interface RateRatioBounds {
  /** kNew/tNew over kOld/tOld; Infinity when old saw nothing and new did; NaN when neither did. */
  readonly ratio: number;
  readonly lower: number;
  /** Infinity when kOld = 0 (no evidence old sends anything). */
  readonly upper: number;
}

/** One-sided bounds, each at error `alpha` on its own side. Exposures in any unit, same for both. */
export function rateRatioBounds(
  kNew: number,
  tNew: number,
  kOld: number,
  tOld: number,
  alpha = 0.05,
): RateRatioBounds {
  if (!(kNew >= 0 && kOld >= 0)) throw new RangeError(`counts must be >= 0 (new=${kNew}, old=${kOld})`);
  if (!(tNew > 0 && tOld > 0)) throw new RangeError(`exposures must be > 0 (new=${tNew}, old=${tOld})`);
  const n = kNew + kOld;
  const scale = tOld / tNew;
  const ratio = n === 0 ? Number.NaN : kOld === 0 ? Number.POSITIVE_INFINITY : (kNew / tNew) / (kOld / tOld);
  if (n === 0) return { ratio, lower: 0, upper: Number.POSITIVE_INFINITY };
  const pLower = kNew === 0 ? 0 : betaQuantile(alpha, kNew, kOld + 1);
  const pUpper = kOld === 0 ? 1 : betaQuantile(1 - alpha, kNew + 1, kOld);
  return {
    ratio,
    lower: (pLower / (1 - pLower)) * scale,
    upper: pUpper >= 1 ? Number.POSITIVE_INFINITY : (pUpper / (1 - pUpper)) * scale,
  };
}
