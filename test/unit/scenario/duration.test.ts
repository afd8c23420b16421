import { expect } from 'chai';
import { parseDuration } from '../../../harness/scenario/duration.js';

describe('scenario durations', () => {
  const good: [string | number, number][] = [
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['0s', 0],
    [30, 30_000],
    [0.25, 250],
  ];
  for (const [input, ms] of good) {
    it(`reads ${JSON.stringify(input)} as ${ms} ms`, () => {
      expect(parseDuration(input)).to.equal(ms);
    });
  }

  for (const bad of ['30', '30 s', '30 seconds', 's', '1d', '-1s', '']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      expect(() => parseDuration(bad)).to.throw(RangeError, /duration such as/);
    });
  }

  it('rejects negative and non-finite numbers', () => {
    expect(() => parseDuration(-1)).to.throw(RangeError);
    expect(() => parseDuration(Number.POSITIVE_INFINITY)).to.throw(RangeError);
  });
});
