import { expect } from 'chai';
import { analyzeRun } from '../../../harness/analysis/analyze-run.js';
import type { AnalysisInput } from '../../../harness/analysis/analysis-input.js';
import type { Expectation } from '../../../harness/analysis/expectation.js';
import { queries, window } from './make-records.js';

const DOMAIN = '*.safethings.avira.com';

// The design's HomeShield scenario, in miniature: old keeps querying after
// HomeShield is switched off, new goes quiet.
const input: AnalysisInput = {
  records: [
    {
      build: 'old',
      dns: [...queries(0, 30), ...queries(100_000, 24, { everyMs: 1250 })],
      egress: [
        { atMs: 100_500, transport: 'tcp', destination: { address: '203.0.113.10', port: 443 }, bytes: 517, sni: 'a.safethings.avira.com' },
        { atMs: 101_500, transport: 'tcp', destination: { address: '203.0.113.10', port: 443 }, bytes: 517, sni: 'a.safethings.avira.com' },
        { atMs: 140_000, transport: 'udp', destination: { address: '2001:db8::1', port: 123 }, bytes: 48 },
      ],
    },
    { build: 'new', dns: queries(0, 3, { everyMs: 10_000 }) },
  ],
  windows: [
    window('old', 'enabled', 0, 30_000), window('old', 'disabled', 100_000, 30_000),
    window('new', 'enabled', 0, 30_000), window('new', 'disabled', 100_000, 30_000),
  ],
  markers: [{ atMs: 90_000, build: 'old', feature: 'homeshield', state: 'off' }],
};

const expectations: Expectation[] = [
  { build: 'old', window: 'disabled', domain: DOMAIN, minPerDay: 20_000 },
  { build: 'new', window: 'disabled', domain: DOMAIN, none: true },
  { build: 'new', window: 'enabled', domain: DOMAIN, minPerDay: 1 },
  { compare: { domain: DOMAIN, window: 'disabled' }, newAtMost: 0.2 },
];

describe('analysis/analyze-run', () => {
  const result = analyzeRun(input, expectations, { extraDomains: ['*'] });

  it('all four HomeShield expectations pass: exit 0', () => {
    expect(result.verdicts.map((v) => v.status)).to.deep.equal(['pass', 'pass', 'pass', 'pass']);
    expect(result.summary).to.include({ passed: 4, exitCode: 0 });
  });

  it('tabulates every window for every pattern named, counting names by DNS and by SNI', () => {
    expect(result.windowStats).to.have.length(4 * 2);
    const row = result.windowStats.find((s) => s.build === 'old' && s.window === 'disabled' && s.domain === DOMAIN);
    // 24 queries and 2 TLS connections naming a.safethings.avira.com: 26 contacts.
    expect([row?.count, row?.sources]).to.deep.equal([26, { dns: 24, sni: 2, host: 0 }]);
    // new had no sinkhole: its count is DNS only, with no split to claim SNI was looked at.
    const quiet = result.windowStats.find((s) => s.build === 'new' && s.window === 'enabled' && s.domain === DOMAIN);
    expect([quiet?.count, quiet?.sources]).to.deep.equal([3, undefined]);
  });

  it('summarizes egress per window', () => {
    const old = result.egress.find((e) => e.build === 'old' && e.window === 'disabled');
    expect(old).to.deep.equal({
      build: 'old', window: 'disabled', count: 2, bytes: 1034,
      destinations: [{ destination: 'tcp 203.0.113.10:443 sni a.safethings.avira.com', count: 2 }],
    });
    expect(result.egress.find((e) => e.build === 'new' && e.window === 'enabled')?.count).to.equal(0);
  });

  it('builds a timeline for the same patterns', () => {
    expect(result.timeline.map((t) => t.build)).to.deep.equal(['new', 'old']);
    expect(result.timeline[1]!.series.map((s) => s.domain)).to.deep.equal([DOMAIN, '*']);
  });

  it('a bad pattern becomes an error verdict and is left out of the tables', () => {
    const r = analyzeRun(input, [...expectations, { build: 'new', window: 'disabled', domain: 'x.*', none: true }]);
    expect(r.summary).to.include({ errors: 1, exitCode: 2 });
    expect(r.windowStats.every((s) => s.domain === DOMAIN)).to.equal(true);
  });
});
