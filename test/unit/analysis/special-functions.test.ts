import { expect } from 'chai';
import { betaQuantile, regularizedBeta } from '../../../harness/analysis/incomplete-beta.js';
import {
  gammaQuantile,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
} from '../../../harness/analysis/incomplete-gamma.js';

// Reference values from scipy.special (gammainc, betainc) and scipy.stats.
describe('analysis/special functions', () => {
  it('logGamma matches factorials and Γ(1/2)', () => {
    expect(logGamma(1)).to.be.closeTo(0, 1e-12);
    expect(logGamma(5)).to.be.closeTo(Math.log(24), 1e-12);
    expect(logGamma(0.5)).to.be.closeTo(Math.log(Math.sqrt(Math.PI)), 1e-12);
    expect(logGamma(101)).to.be.closeTo(363.73937555556347, 1e-9);
  });

  const gammaTable: [a: number, x: number, p: number][] = [
    [3.5, 2.0, 0.22022259152428406],
    [100, 90, 0.15822098918643007],
    [1, 1, 1 - Math.exp(-1)],
  ];
  for (const [a, x, p] of gammaTable) {
    it(`P(${a}, ${x}) = ${p}, Q = 1 - P, and the quantile inverts it`, () => {
      expect(regularizedGammaP(a, x)).to.be.closeTo(p, 1e-12);
      expect(regularizedGammaQ(a, x)).to.be.closeTo(1 - p, 1e-12);
      expect(gammaQuantile(a, p)).to.be.closeTo(x, 1e-8 * Math.max(1, x));
    });
  }

  const betaTable: [x: number, a: number, b: number, p: number][] = [
    [0.3, 2.5, 3.5, 0.29675298929566646],
    [0.45, 50, 60, 0.4642352914306031],
    [0.5, 1, 1, 0.5],
  ];
  for (const [x, a, b, p] of betaTable) {
    it(`I_${x}(${a}, ${b}) = ${p} and the quantile inverts it`, () => {
      expect(regularizedBeta(x, a, b)).to.be.closeTo(p, 1e-12);
      expect(betaQuantile(p, a, b)).to.be.closeTo(x, 1e-9);
    });
  }

  it('beta quantiles match Clopper-Pearson values', () => {
    expect(betaQuantile(0.95, 1, 24)).to.be.closeTo(0.11734615615494873, 1e-10);
    expect(betaQuantile(0.05, 10, 13)).to.be.closeTo(0.27131319030981726, 1e-10);
  });

  it('rejects arguments outside the domain', () => {
    expect(() => regularizedGammaP(0, 1)).to.throw(RangeError);
    expect(() => regularizedBeta(1.5, 1, 1)).to.throw(RangeError);
    expect(() => gammaQuantile(1, 1)).to.throw(RangeError);
  });
});
