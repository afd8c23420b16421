import { expect } from 'chai';
import { DomainPattern } from '../../../harness/util/domain-pattern.js';
import { timeline } from '../../../harness/analysis/timeline.js';
import { queries, window } from './make-records.js';

describe('analysis/timeline', () => {
  const input = {
    records: [
      { build: 'old', dns: [...queries(1_000_000, 25, { everyMs: 1000 }), ...queries(1_000_500, 3, { names: ['time.example'] })] },
      { build: 'new', dns: queries(5_000_000, 2, { everyMs: 10_000 }) },
    ],
    windows: [window('old', 'enabled', 1_000_000, 30_000), window('new', 'enabled', 4_990_000, 30_000)],
    markers: [{ atMs: 1_012_000, build: 'old', feature: 'homeshield', state: 'off' }],
  };
  const [neu, old] = timeline(input, [DomainPattern.parse('*.safethings.avira.com'), DomainPattern.parse('*')]);

  it('one timeline per build, in name order, each from its own origin', () => {
    expect(old!.build).to.equal('old');
    expect(old!.originMs).to.equal(1_000_000);
    expect(neu!.build).to.equal('new');
    expect(neu!.originMs).to.equal(4_990_000);
  });

  it('counts queries per 10 s bin per pattern; bins are half-open', () => {
    expect(old!.series).to.deep.equal([
      { domain: '*.safethings.avira.com', counts: [10, 10, 5, 0] },
      { domain: '*', counts: [13, 10, 5, 0] },
    ]);
    // queries at +10 s and +20 s open bins 1 and 2; the window end (+30 s) opens an empty bin 3
    expect(neu!.series[0]!.counts).to.deep.equal([0, 1, 1, 0]);
  });

  it('places windows and markers as offsets', () => {
    expect(old!.windows).to.deep.equal([{ window: 'enabled', startOffsetMs: 0, endOffsetMs: 30_000, labLive: true }]);
    expect(old!.markers).to.deep.equal([{ offsetMs: 12_000, feature: 'homeshield', state: 'off' }]);
    expect(neu!.markers).to.deep.equal([]);
  });

  it('honours another bin width and rejects a zero one', () => {
    const [, coarse] = timeline(input, [DomainPattern.parse('*')], 60_000);
    expect(coarse!.series[0]!.counts).to.deep.equal([28]);
    expect(() => timeline(input, [], 0)).to.throw(RangeError);
  });

  it('a build with nothing recorded yields empty series', () => {
    const [empty] = timeline({ records: [{ build: 'x', dns: [] }], windows: [] }, [DomainPattern.parse('*')]);
    expect(empty!.series).to.deep.equal([{ domain: '*', counts: [] }]);
  });

  it('counts other egress per bin as a series of its own, apart from DNS', () => {
    const at = (atMs: number) => ({ atMs, transport: 'tcp', destination: { address: '203.0.113.10', port: 443 }, bytes: 100, sni: 'x.example' });
    const [t] = timeline({ records: [{ build: 'new', dns: queries(0, 1), egress: [at(1000), at(2000), at(15_000)] }], windows: [] }, [DomainPattern.parse('*')]);
    expect(t!.egress).to.deep.equal([2, 1]);
    expect(t!.series[0]!.counts).to.deep.equal([1, 0]);
  });
});
