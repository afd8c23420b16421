import { expect } from 'chai';
import { longestBurst } from '../../../harness/analysis/longest-burst.js';

describe('analysis/longest-burst', () => {
  it('no events: count 0', () => {
    expect(longestBurst([])).to.deep.equal({ count: 0, startMs: undefined });
  });

  it('one event: count 1 at its time', () => {
    expect(longestBurst([5000])).to.deep.equal({ count: 1, startMs: 5000 });
  });

  it('counts a burst that straddles a second boundary as one', () => {
    expect(longestBurst([0, 2900, 3100, 3200, 3899, 6000])).to.deep.equal({ count: 4, startMs: 2900 });
  });

  it('span is half-open: events exactly 1 s apart are not in one span', () => {
    expect(longestBurst([1000, 2000, 3000]).count).to.equal(1);
    expect(longestBurst([1000, 1999, 3000]).count).to.equal(2);
  });

  it('honours a custom span', () => {
    expect(longestBurst([0, 400, 800, 1200], 500).count).to.equal(2);
  });
});
