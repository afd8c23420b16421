import { expect } from 'chai';
import { requiredWindowS } from '../../../harness/analysis/required-window.js';

describe('analysis/required-window', () => {
  it('finds the first whole second at which a threshold is crossed', () => {
    expect(requiredWindowS((s) => s > 258.4, 30)).to.equal(259);
    expect(requiredWindowS((s) => s >= 100, 30)).to.equal(100);
  });

  it('returns the current length (rounded up) when it already decides', () => {
    expect(requiredWindowS(() => true, 29.5)).to.equal(30);
  });

  it('is undefined when nothing would ever decide', () => {
    expect(requiredWindowS(() => false, 30)).to.equal(undefined);
  });
});
