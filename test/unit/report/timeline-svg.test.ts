import { expect } from 'chai';
import { formatDuration as formatTick } from '../../../harness/analysis/index.js';
import { timeTicks, timelineSvg } from '../../../harness/report/timeline-svg.js';

describe('report/timeline-svg: a real time axis', () => {
  it('picks a readable step with at most 8 intervals, 0 included', () => {
    expect(timeTicks(65_000)).to.deep.equal([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    expect(timeTicks(5_000)).to.deep.equal([0, 1000, 2000, 3000, 4000, 5000]);
    expect(timeTicks(3_600_000)).to.have.length(7); // every 10 min
    expect(timeTicks(1)).to.deep.equal([0]);
  });

  it('labels ticks in seconds, minutes and hours', () => {
    expect([0, 45_000, 120_000, 90_000, 7_200_000, 5_400_000].map(formatTick)).to.deep.equal(['0 s', '45 s', '2 min', '1 min 30 s', '2 h', '1 h 30 min']);
  });

  it('draws a labelled tick per step along the bottom of the chart', () => {
    const svg = timelineSvg({ build: 'old', originMs: 0, binMs: 5000, series: [{ domain: '*', counts: [1, 2, 3] }], egress: [], windows: [], markers: [] }, { spanMs: 65_000, maxCount: 3 });
    const labels = [...svg.matchAll(/<text class="tick" data-ms="(\d+)"[^>]*>([^<]*)<\/text>/g)].map((m) => m[2]);
    expect(labels).to.deep.equal(['0 s', '10 s', '20 s', '30 s', '40 s', '50 s', '1 min']);
  });

  it('draws other egress as a series of its own, dashed, and lists the exact counts per bin', () => {
    const t = { build: 'new', originMs: 0, binMs: 5000, series: [{ domain: '*.example', counts: [1, 0, 2] }], egress: [0, 3, 1], windows: [], markers: [] };
    const svg = timelineSvg(t);
    expect(svg).to.match(/<polyline class="series" data-kind="dns" data-domain="\*\.example" data-total="3"/);
    expect(svg).to.match(/<polyline class="series egress" data-kind="egress" data-total="4"[^>]*stroke-dasharray/);
    expect(svg).to.contain('other egress (not DNS)');
    const rows = [...svg.matchAll(/<tr><td>([^<]+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).to.deep.equal([['0 s', '1', '0'], ['5 s', '0', '3'], ['10 s', '2', '1']]);
    // A build with no other egress draws no empty series for it.
    expect(timelineSvg({ ...t, egress: [0, 0, 0] })).to.not.contain('data-kind="egress"');
  });
});
