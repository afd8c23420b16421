import { bisect, growUntil } from './bisect.js';

/*
 * Regularized incomplete gamma functions, after Numerical Recipes (3rd ed.,
 * section 6.2): the series for x < a + 1, Lentz's continued fraction otherwise.
 * Accurate to about 1e-14 for the shapes analysis uses (a up to ~1e7).
 */

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 100_000;

// Lanczos approximation, g = 7, n = 9 (the widely published coefficient set).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function prefix(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function series(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let i = 0; i < MAX_ITER; i++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * prefix(a, x);
}

function continuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return prefix(a, x) * h;
}

/** P(a, x) = γ(a, x) / Γ(a), the gamma(a, 1) CDF at x. */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || x < 0) throw new RangeError(`regularizedGammaP: need a > 0 and x >= 0 (a=${a}, x=${x})`);
  if (x === 0) return 0;
  return x < a + 1 ? series(a, x) : 1 - continuedFraction(a, x);
}

/** Q(a, x) = 1 - P(a, x), computed directly so small upper tails keep their precision. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || x < 0) throw new RangeError(`regularizedGammaQ: need a > 0 and x >= 0 (a=${a}, x=${x})`);
  if (x === 0) return 1;
  return x < a + 1 ? 1 - series(a, x) : continuedFraction(a, x);
}

/** The x with P(a, x) = p: the p-quantile of gamma(a, 1), i.e. chi2(2a) quantile / 2. */
export function gammaQuantile(a: number, p: number): number {
  if (!(p >= 0 && p < 1)) throw new RangeError(`gammaQuantile: need 0 <= p < 1 (p=${p})`);
  if (p === 0) return 0;
  // Compare in whichever tail is small, so p near 1 stays exact.
  const reached = p <= 0.5
    ? (x: number) => regularizedGammaP(a, x) >= p
    : (x: number) => regularizedGammaQ(a, x) <= 1 - p;
  const hi = growUntil(reached, Math.max(1, a + 10 * Math.sqrt(a) + 10), Number.MAX_VALUE);
  if (hi === undefined) throw new RangeError(`gammaQuantile: no bracket for a=${a}, p=${p}`);
  return bisect(reached, 0, hi);
}
