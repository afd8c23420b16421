import { expect } from 'chai';
import { formatCount, formatSeconds, formatValue } from '../../../harness/analysis/format-number.js';

describe('analysis/format-number', () => {
  const values: [number, string][] = [
    [0, '0'], [69_120, '69,120'], [102_844.7, '102,800'], [44_286.5, '44,290'], [8628.1, '8,628'],
    [0.13294, '0.1329'], [2.9957, '2.996'], [999.96, '1,000'], [1_234_567, '1,235,000'],
    [Number.POSITIVE_INFINITY, 'infinity'], [Number.NaN, 'n/a'],
  ];
  for (const [v, text] of values) {
    it(`formatValue(${v}) = ${text}`, () => expect(formatValue(v)).to.equal(text));
  }

  it('formatCount groups thousands and rounds', () => {
    expect(formatCount(1234567.4)).to.equal('1,234,567');
    expect(formatCount(12)).to.equal('12');
  });

  it('formatSeconds shows one decimal', () => {
    expect(formatSeconds(30_000)).to.equal('30.0 s');
    expect(formatSeconds(1_234_567)).to.equal('1,234.6 s');
    expect(formatSeconds(250)).to.equal('0.3 s');
  });
});
