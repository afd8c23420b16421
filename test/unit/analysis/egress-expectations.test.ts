import { expect } from 'chai';
import { AnalysisContext } from '../../../harness/analysis/analysis-context.js';
import type { DnsQuery, EgressEvent } from '../../../harness/analysis/analysis-input.js';
import { httpHostName } from '../../../harness/analysis/egress-matcher.js';
import { evaluateExpectation } from '../../../harness/analysis/evaluate-expectation.js';
import type { EgressFilter, Expectation } from '../../../harness/analysis/expectation.js';
import { queries, window } from './make-records.js';

const CLOUD = '203.0.113.10';
const DOMAIN = '*.safethings.avira.com';

/** `count` TLS connections from `startMs`, one every `everyMs`, naming `sni`. */
function tls(startMs: number, count: number, { everyMs = 1250, sni = 'dfp-dual.safethings.avira.com', address = CLOUD, port = 443 } = {}): EgressEvent[] {
  return Array.from({ length: count }, (_, i) => ({ atMs: startMs + i * everyMs, transport: 'tcp', destination: { address, port }, bytes: 517, sni }));
}

function http(atMs: number, host: string, address = CLOUD): EgressEvent {
  return { atMs, transport: 'tcp', destination: { address, port: 80 }, bytes: 80, httpHost: host };
}

function udp(atMs: number, address: string, port: number): EgressEvent {
  return { atMs, transport: 'udp', destination: { address, port }, bytes: 48 };
}

/**
 * old and new, each with `enabled` [0, 30 s), `disabled` [100 s, 130 s),
 * `long` [200 s, 3,200 s) and `hour` [4,000 s, 4,600 s), both with a sinkhole.
 */
function run(oldEgress: EgressEvent[], newEgress: EgressEvent[], dns: { old?: DnsQuery[]; new?: DnsQuery[] } = {}): AnalysisContext {
  const windows = (build: string) => [
    window(build, 'enabled', 0, 30_000), window(build, 'disabled', 100_000, 30_000),
    window(build, 'long', 200_000, 3_000_000), window(build, 'hour', 4_000_000, 600_000),
  ];
  return new AnalysisContext({
    records: [
      { build: 'old', dns: dns.old ?? [], egress: oldEgress },
      { build: 'new', dns: dns.new ?? [], egress: newEgress },
    ],
    windows: [...windows('old'), ...windows('new')],
  });
}

const old24 = tls(100_000, 24);
const cloud: EgressFilter = { address: '203.0.113.0/24', port: 443, protocol: 'tcp' };
const at = (build: string, win: string, egress: EgressFilter) => ({ build, window: win, egress });

describe('analysis/egress expectations: none', () => {
  it('passes on no matching connection, with the bound its window proves', () => {
    const v = evaluateExpectation({ ...at('new', 'disabled', { sni: DOMAIN }), none: true }, run(old24, tls(0, 3)));
    expect(v.status).to.equal('pass');
    expect(v.bound).to.equal('0 in 30.0 s: below 8,628/day at 95%');
    expect(v.measured.upperBoundPerDay).to.be.closeTo(8627.7, 0.5);
    expect(v.message).to.equal(
      'new/disabled egress sni *.safethings.avira.com: 0 contacts in 30.0 s; expected none: pass (0 in 30.0 s: below 8,628/day at 95%)');
  });

  it('fails on one TLS connection naming the cloud while off, listing where it went', () => {
    const v = evaluateExpectation({ ...at('new', 'disabled', { sni: DOMAIN }), none: true }, run(old24, tls(110_000, 1)));
    expect(v.status).to.equal('fail');
    expect(v.bound).to.equal(undefined);
    expect(v.message).to.equal('new/disabled egress sni *.safethings.avira.com: 1 contact in 30.0 s '
      + '(tcp 203.0.113.10:443 sni dfp-dual.safethings.avira.com x1); expected none: fail');
  });

  it('a short window still passes: none is about the window, and its bound says how little that proves', () => {
    const ctx = new AnalysisContext({ records: [{ build: 'new', dns: [], egress: [] }], windows: [window('new', 'blink', 0, 2000)] });
    const v = evaluateExpectation({ ...at('new', 'blink', cloud), none: true }, ctx);
    expect([v.status, v.bound]).to.deep.equal(['pass', '0 in 2.0 s: below 129,400/day at 95%']);
  });
});

describe('analysis/egress expectations: rates', () => {
  it('max_per_day fails on 24 connections in 30 s', () => {
    const v = evaluateExpectation({ ...at('old', 'disabled', cloud), maxPerDay: 100 }, run(old24, []));
    expect(v.status).to.equal('fail');
    expect(v.message).to.match(/^old\/disabled egress tcp 203\.0\.113\.0\/24 port 443: 24 contacts in 30\.0 s = 69,120\/day/);
  });

  it('max_per_day passes on zero connections over a window long enough for the limit', () => {
    const v = evaluateExpectation({ ...at('new', 'long', cloud), maxPerDay: 100 }, run(old24, []));
    expect(v.status).to.equal('pass');
  });

  it('max_per_day on zero connections in 30 s is inconclusive: 100/day needs 2,589 s', () => {
    const v = evaluateExpectation({ ...at('new', 'disabled', cloud), maxPerDay: 100 }, run(old24, []));
    expect(v.status).to.equal('inconclusive');
    expect(v.measured.requiredWindowS).to.equal(2589); // ceil(2.9957 * 86,400 / 100)
    expect(v.message).to.contain('inconclusive: observe for at least 2,589 s');
  });

  it('min_per_day passes on the old build\'s storm of connections', () => {
    const v = evaluateExpectation({ ...at('old', 'disabled', { address: CLOUD }), minPerDay: 20_000 }, run(old24, []));
    expect(v.status).to.equal('pass');
  });

  it('min_per_day fails when ten minutes show none', () => {
    const v = evaluateExpectation({ ...at('new', 'hour', { protocol: 'udp', port: 123 }), minPerDay: 1000 }, run([], []));
    expect(v.status).to.equal('fail');
  });

  it('min_per_day on zero in 30 s is inconclusive', () => {
    const v = evaluateExpectation({ ...at('new', 'disabled', { protocol: 'udp', port: 123 }), minPerDay: 1000 }, run([], []));
    expect(v.status).to.equal('inconclusive');
    expect(v.measured.requiredWindowS).to.equal(259);
  });
});

describe('analysis/egress expectations: old vs new', () => {
  const compare = { egress: cloud, window: 'disabled' };

  it('new_at_most passes on new 0 vs old 24', () => {
    const v = evaluateExpectation({ compare, newAtMost: 0.2 }, run(old24, []));
    expect(v.status).to.equal('pass');
    expect(v.message).to.match(/^new vs old disabled egress tcp 203\.0\.113\.0\/24 port 443: new 0 contacts in 30\.0 s \(0\/day\), old 24 contacts/);
  });

  it('new_at_most fails on new 10 vs old 12', () => {
    const v = evaluateExpectation({ compare, newAtMost: 0.2 }, run(tls(100_000, 12, { everyMs: 2000 }), tls(100_000, 10, { everyMs: 2000 })));
    expect(v.status).to.equal('fail');
  });

  it('new_at_most is inconclusive on new 0 vs old 5', () => {
    const v = evaluateExpectation({ compare, newAtMost: 0.2 }, run(tls(100_000, 5, { everyMs: 5000 }), []));
    expect(v.status).to.equal('inconclusive');
    expect(v.measured.requiredWindowS).to.be.above(30);
  });

  it('at_least_times_fewer passes, fails and is inconclusive alike', () => {
    const judge = (o: EgressEvent[], n: EgressEvent[]) => evaluateExpectation({ compare, atLeastTimesFewer: 5 }, run(o, n)).status;
    expect(judge(old24, [])).to.equal('pass');
    expect(judge(tls(100_000, 12, { everyMs: 2000 }), tls(100_000, 10, { everyMs: 2000 }))).to.equal('fail');
    expect(judge(tls(100_000, 5, { everyMs: 5000 }), [])).to.equal('inconclusive');
  });
});

describe('analysis/egress expectations: what a filter matches', () => {
  const count = (filter: EgressFilter, events: EgressEvent[]) =>
    evaluateExpectation({ ...at('new', 'disabled', filter), none: true }, run([], events)).measured.count;
  const mixed = [
    ...tls(100_000, 2), tls(101_000, 1, { address: '198.51.100.9', port: 8443, sni: 'other.example' })[0]!,
    http(102_000, 'update.safethings.avira.com:8080'), http(103_000, '[2001:db8::5]:80', '2001:db8::5'), http(103_500, '192.0.2.8:80', '198.51.100.9'),
    udp(104_000, '::ffff:203.0.113.77', 123), udp(105_000, '2001:db8:1::1', 53),
  ];
  const cases: [string, EgressFilter, number][] = [
    ['an address', { address: CLOUD }, 3],
    ['a CIDR block, IPv4-mapped addresses included', { address: '203.0.113.0/24' }, 4],
    ['an IPv6 block', { address: '2001:db8::/32' }, 2],
    ['a port', { port: 8443 }, 1],
    ['a protocol', { protocol: 'udp' }, 2],
    ['an SNI pattern', { sni: 'other.example' }, 1],
    ['an HTTP Host pattern, its port left off', { httpHost: '*.safethings.avira.com' }, 1],
    ['an HTTP Host that is an address, its port left off', { httpHost: '192.0.2.8' }, 1],
    ['every key together', { address: CLOUD, port: 443, protocol: 'tcp', sni: DOMAIN }, 2],
  ];
  for (const [what, filter, n] of cases) {
    it(`${what}: ${n}`, () => expect(count(filter, mixed)).to.equal(n));
  }

  it('reads the name of an HTTP Host header without its port', () => {
    expect(['a.example:8080', 'a.example', '[2001:db8::5]:80', '[2001:db8::5]'].map(httpHostName))
      .to.deep.equal(['a.example', 'a.example', '2001:db8::5', '2001:db8::5']);
  });

  const bad: [string, Expectation, RegExp][] = [
    ['an address that is none', { ...at('new', 'disabled', { address: '300.1.1.1' }), none: true }, /invalid egress filter: invalid address "300\.1\.1\.1"/],
    ['a prefix too long', { ...at('new', 'disabled', { address: '10.0.0.0/33' }), none: true }, /prefix length must be a whole number from 0 to 32/],
    ['an empty filter', { ...at('new', 'disabled', {}), none: true }, /give at least one of/],
    ['a bad SNI pattern', { ...at('new', 'disabled', { sni: 'a.*.example' }), none: true }, /invalid domain pattern "a\.\*\.example"/],
  ];
  for (const [what, e, message] of bad) {
    it(`${what} -> error`, () => {
      const v = evaluateExpectation(e, run([], []));
      expect(v.status).to.equal('error');
      expect(v.message).to.match(message);
    });
  }
});

describe('analysis/domain expectations count names by DNS, SNI and HTTP Host', () => {
  it('no DNS at all while off, but TLS to the name resolved earlier: none fails, and says how (dns 0, sni 3)', () => {
    const v = evaluateExpectation({ build: 'new', window: 'disabled', domain: DOMAIN, none: true }, run(old24, tls(100_000, 3)));
    expect(v.status).to.equal('fail');
    expect(v.measured).to.include({ count: 3, dnsCount: 0, sniCount: 3, hostCount: 0 });
    expect(v.message).to.equal('new/disabled *.safethings.avira.com: 3 contacts (dns 0, sni 3, host 0) in 30.0 s '
      + '(dfp-dual.safethings.avira.com x3); expected none: fail');
  });

  it('a query and a connection to the same name are two contacts; HTTP Host counts too; other names do not', () => {
    const ctx = run([], [
      ...tls(100_000, 1), http(101_000, 'a.safethings.avira.com:80'), ...tls(102_000, 1, { sni: 'time.example' }), udp(103_000, CLOUD, 443),
    ], { new: queries(100_000, 1, { names: ['dfp-dual.safethings.avira.com'] }) });
    const v = evaluateExpectation({ build: 'new', window: 'disabled', domain: DOMAIN, maxPerDay: 1_000_000 }, ctx);
    expect(v.measured).to.include({ count: 3, dnsCount: 1, sniCount: 1, hostCount: 1 });
    expect(v.message).to.contain('3 contacts (dns 1, sni 1, host 1) in 30.0 s');
  });

  it('a comparison counts both sides the same way', () => {
    const v = evaluateExpectation({ compare: { domain: DOMAIN, window: 'disabled' }, newAtMost: 0.2 },
      run(old24, [], { old: queries(100_000, 4, { everyMs: 5000 }) }));
    expect(v.status).to.equal('pass');
    expect(v.measured).to.include({ oldCount: 28, oldDnsCount: 4, oldSniCount: 24, newCount: 0, newSniCount: 0 });
  });

  it('without a sinkhole, a domain count is DNS queries only, and says queries', () => {
    const ctx = new AnalysisContext({ records: [{ build: 'new', dns: queries(0, 2) }], windows: [window('new', 'w', 0, 30_000)] });
    const v = evaluateExpectation({ build: 'new', window: 'w', domain: DOMAIN, none: true }, ctx);
    expect(v.message).to.match(/: 2 queries in 30\.0 s/);
    expect(v.measured).not.to.have.property('sniCount');
  });
});
