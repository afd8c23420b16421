import { bisect } from './bisect.js';
import { logGamma } from './incomplete-gamma.js';

/*
 * Regularized incomplete beta I_x(a, b), after Numerical Recipes (3rd ed.,
 * section 6.4): the continued fraction, used directly where it converges fast
 * (x < (a + 1) / (a + b + 2)) and through the symmetry I_x(a,b) = 1 - I_{1-x}(b,a)
 * elsewhere.
 */

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 100_000;

function continuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** I_x(a, b), the beta(a, b) CDF at x, for a, b > 0 and 0 <= x <= 1. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1)) {
    throw new RangeError(`regularizedBeta: need a, b > 0 and 0 <= x <= 1 (x=${x}, a=${a}, b=${b})`);
  }
  if (x === 0) return 0;
  if (x === 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * continuedFraction(a, b, x)) / a
    : 1 - (front * continuedFraction(b, a, 1 - x)) / b;
}

/** The x with I_x(a, b) = p: the p-quantile of beta(a, b). */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`betaQuantile: need 0 <= p <= 1 (p=${p})`);
  if (p === 0) return 0;
  if (p === 1) return 1;
  // The upper tail, through the symmetry, keeps p near 1 exact.
  const reached = p <= 0.5
    ? (x: number) => regularizedBeta(x, a, b) >= p
    : (x: number) => regularizedBeta(1 - x, b, a) <= 1 - p;
  return bisect(reached, 0, 1);
}
