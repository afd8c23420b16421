import { expect } from 'chai';
import { poissonInterval, poissonLower, poissonUpper } from '../../../harness/analysis/poisson-interval.js';

// Garwood 95% two-sided intervals as published (e.g. Ulm 1990, Am J Epidemiol
// 131:373; the same figures as chi2(2k, .025)/2 and chi2(2k+2, .975)/2).
const twoSided: [k: number, lower: number, upper: number][] = [
  [0, 0, 3.689],
  [1, 0.0253, 5.572],
  [2, 0.2422, 7.225],
  [5, 1.6235, 11.668],
  [10, 4.7954, 18.390],
  [24, 15.377, 35.710],
  [100, 81.364, 121.627],
];

// One-sided 95% bounds: chi2(2k, .05)/2 and chi2(2k+2, .95)/2.
const oneSided: [k: number, lower: number, upper: number][] = [
  [0, 0, 2.9957],
  [1, 0.05129, 4.7439],
  [2, 0.35536, 6.2958],
  [5, 1.97015, 10.5130],
  [10, 5.42541, 16.9622],
  [100, 84.1393, 118.0793],
];

function poissonCdf(k: number, mean: number): number {
  let term = Math.exp(-mean);
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= mean / i;
    sum += term;
  }
  return sum;
}

describe('analysis/poisson-interval', () => {
  for (const [k, lower, upper] of twoSided) {
    it(`two-sided 95% for k=${k} matches the published ${lower}-${upper}`, () => {
      const ci = poissonInterval(k);
      expect(ci.lower).to.be.closeTo(lower, 0.0006);
      expect(ci.upper).to.be.closeTo(upper, 0.0006);
    });
  }

  for (const [k, lower, upper] of oneSided) {
    it(`one-sided 95% for k=${k}: lower ${lower}, upper ${upper}`, () => {
      expect(poissonLower(k)).to.be.closeTo(lower, 0.0001);
      expect(poissonUpper(k)).to.be.closeTo(upper, 0.0001);
    });
  }

  it('k=0 one-sided upper bound is -ln(0.05)', () => {
    expect(poissonUpper(0)).to.be.closeTo(-Math.log(0.05), 1e-9);
  });

  it('bounds satisfy their defining tail equations (checked by plain summation)', () => {
    for (const k of [0, 1, 3, 7, 20, 60]) {
      expect(poissonCdf(k, poissonUpper(k)), `upper k=${k}`).to.be.closeTo(0.05, 1e-9);
      if (k > 0) expect(1 - poissonCdf(k - 1, poissonLower(k)), `lower k=${k}`).to.be.closeTo(0.05, 1e-9);
    }
  });

  it('bounds bracket the count and widen with confidence', () => {
    for (const k of [1, 4, 50, 10_000]) {
      const ci95 = poissonInterval(k, 0.95);
      const ci99 = poissonInterval(k, 0.99);
      expect(ci95.lower).to.be.below(k);
      expect(ci95.upper).to.be.above(k);
      expect(ci99.lower).to.be.below(ci95.lower);
      expect(ci99.upper).to.be.above(ci95.upper);
    }
  });

  it('accepts non-integer counts and is monotone in them', () => {
    expect(poissonUpper(2.5)).to.be.above(poissonUpper(2)).and.below(poissonUpper(3));
    expect(poissonLower(2.5)).to.be.above(poissonLower(2)).and.below(poissonLower(3));
  });

  it('rejects negative or non-finite counts', () => {
    expect(() => poissonUpper(-1)).to.throw(RangeError);
    expect(() => poissonLower(Number.NaN)).to.throw(RangeError);
  });
});
