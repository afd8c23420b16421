import { expect } from 'chai';
import { rateRatioBounds } from '../../../harness/analysis/rate-ratio-bounds.js';

function binomialCdf(k: number, n: number, p: number): number {
  let sum = 0;
  let term = Math.pow(1 - p, n);
  for (let i = 0; i <= k; i++) {
    sum += term;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return sum;
}

describe('analysis/rate-ratio-bounds', () => {
  it('new 0 vs old 24 over equal windows: upper bound 0.133 (below 0.2)', () => {
    const b = rateRatioBounds(0, 30, 24, 30);
    expect(b.ratio).to.equal(0);
    expect(b.lower).to.equal(0);
    expect(b.upper).to.be.closeTo(0.1329469723303541, 1e-9);
  });

  it('new 10 vs old 12 over equal windows: lower bound 0.372 (above 0.2)', () => {
    const b = rateRatioBounds(10, 30, 12, 30);
    expect(b.ratio).to.be.closeTo(10 / 12, 1e-12);
    expect(b.lower).to.be.closeTo(0.3723316885963286, 1e-9);
    expect(b.upper).to.be.closeTo(1.836524713472438, 1e-8);
  });

  it('scales with window lengths: a twice-longer new window halves the ratio', () => {
    const same = rateRatioBounds(5, 30, 20, 30);
    const longer = rateRatioBounds(5, 60, 20, 30);
    expect(longer.ratio).to.be.closeTo(same.ratio / 2, 1e-12);
    expect(longer.upper).to.be.closeTo(same.upper / 2, 1e-9);
    expect(longer.lower).to.be.closeTo(same.lower / 2, 1e-9);
  });

  it('upper bound is the exact one-sided binomial test boundary', () => {
    const b = rateRatioBounds(3, 40, 30, 30);
    const p = (b.upper * 40) / (b.upper * 40 + 30);
    expect(binomialCdf(3, 33, p)).to.be.closeTo(0.05, 1e-9);
  });

  it('old with no queries: ratio and upper bound are infinite', () => {
    const b = rateRatioBounds(4, 30, 0, 30);
    expect(b.ratio).to.equal(Number.POSITIVE_INFINITY);
    expect(b.upper).to.equal(Number.POSITIVE_INFINITY);
    const p = Math.pow(0.05, 1 / 4); // Clopper-Pearson lower bound for 4 of 4
    expect(b.lower).to.be.closeTo(p / (1 - p), 1e-9);
  });

  it('neither build queried: no information', () => {
    const b = rateRatioBounds(0, 30, 0, 30);
    expect(b.ratio).to.be.NaN;
    expect(b.lower).to.equal(0);
    expect(b.upper).to.equal(Number.POSITIVE_INFINITY);
  });

  it('rejects empty windows', () => {
    expect(() => rateRatioBounds(1, 0, 1, 30)).to.throw(RangeError);
  });
});
