import { expect } from 'chai';
import type { DnsQuery } from '../../../harness/analysis/analysis-input.js';
import { TrafficTarget } from '../../../harness/analysis/traffic-target.js';
import { WindowCatalog } from '../../../harness/analysis/window-catalog.js';
import { windowStats } from '../../../harness/analysis/window-stats.js';
import { queries, window } from './make-records.js';

const safethings = TrafficTarget.parse({ domain: '*.safethings.avira.com' });

function resolve(windows: ReturnType<typeof window>[], build = 'old', name = 'disabled') {
  const found = new WindowCatalog({ records: [], windows }).lookup(build, name);
  if (!found.ok) throw new Error(found.message);
  return found.window;
}

describe('analysis/window-stats', () => {
  it('24 queries in 30 s: rate, per day and the two-sided 95% interval', () => {
    const s = windowStats(queries(1000, 24, { everyMs: 1250 }), resolve([window('old', 'disabled', 1000, 30_000)]), safethings);
    expect(s).to.include({ build: 'old', window: 'disabled', domain: '*.safethings.avira.com', count: 24, durationMs: 30_000 });
    expect(s.ratePerSecond).to.be.closeTo(0.8, 1e-12);
    expect(s.ratePerDay).to.be.closeTo(69_120, 1e-6);
    expect(s.ci95PerDay.lower).to.be.closeTo((15.377253 / 30) * 86_400, 1);
    expect(s.ci95PerDay.upper).to.be.closeTo((35.710098 / 30) * 86_400, 1);
  });

  it('no queries: count 0, rate 0, upper bound 3.689 per window', () => {
    const s = windowStats([], resolve([window('old', 'disabled', 0, 30_000)]), safethings);
    expect(s.count).to.equal(0);
    expect(s.ratePerDay).to.equal(0);
    expect(s.ci95PerDay.lower).to.equal(0);
    expect(s.ci95PerDay.upper).to.be.closeTo((3.688879 / 30) * 86_400, 1);
    expect(s.longestBurst.count).to.equal(0);
    expect(s.distinctNames).to.equal(0);
  });

  it('one query', () => {
    const s = windowStats(queries(5000, 1), resolve([window('old', 'disabled', 0, 10_000)]), safethings);
    expect(s.count).to.equal(1);
    expect(s.ratePerDay).to.be.closeTo(8640, 1e-9);
    expect(s.longestBurst).to.deep.equal({ count: 1, startMs: 5000 });
  });

  it('windows are half-open: a query at the start counts, one at the end does not', () => {
    const w = resolve([window('old', 'disabled', 10_000, 10_000)]);
    const atEdges: DnsQuery[] = [9_999, 10_000, 19_999, 20_000].map((atMs) => ({
      atMs, name: 'a.safethings.avira.com', type: 'A', response: { rcode: 'NOERROR', ttl: 300 },
    }));
    expect(windowStats(atEdges, w, safethings).count).to.equal(2);
  });

  it('windows of different lengths give rates per their own length', () => {
    const short = windowStats(queries(0, 10), resolve([window('old', 'disabled', 0, 10_000)]), safethings);
    const long = windowStats(queries(0, 10, { everyMs: 6000 }), resolve([window('old', 'disabled', 0, 60_000)]), safethings);
    expect(short.ratePerDay).to.be.closeTo(6 * long.ratePerDay, 1e-6);
    expect(short.ci95PerDay.upper).to.be.above(long.ci95PerDay.upper);
  });

  it('pools spans observed under the same name', () => {
    const w = resolve([window('old', 'disabled', 0, 10_000), window('old', 'disabled', 50_000, 20_000)]);
    expect(w.durationMs).to.equal(30_000);
    const s = windowStats(queries(0, 80, { everyMs: 1000 }), w, safethings);
    expect(s.count).to.equal(10 + 20);
  });

  it('counts only matching names, distinct names, failures and the longest burst', () => {
    const recorded: DnsQuery[] = [
      ...queries(0, 3, { everyMs: 100, names: ['a.safethings.avira.com', 'B.safethings.avira.com.'] }),
      ...queries(5000, 2, { names: ['c.safethings.avira.com'], rcode: 'SERVFAIL' }),
      ...queries(8000, 1, { names: ['d.safethings.avira.com'], rcode: 'NXDOMAIN' }),
      { atMs: 9000, name: 'e.safethings.avira.com', type: 'A', response: null },
      ...queries(0, 50, { everyMs: 10, names: ['time.example'] }),
    ];
    const s = windowStats(recorded, resolve([window('old', 'disabled', 0, 10_000)]), safethings);
    expect(s.count).to.equal(7);
    expect(s.distinctNames).to.equal(5);
    expect(s.names[0]).to.deep.equal({ name: 'a.safethings.avira.com', count: 2 });
    expect(s.failures).to.deep.equal({ servfail: 2, nxdomain: 1, refused: 0, dropped: 1, total: 4 });
    expect(s.longestBurst).to.deep.equal({ count: 3, startMs: 0 });
  });

  it('TTL violations inside the window are judged against answers before it', () => {
    const recorded = queries(0, 40, { everyMs: 1000, ttl: 300 });
    const s = windowStats(recorded, resolve([window('old', 'disabled', 30_000, 30_000)]), safethings);
    expect(s.ttl.checked).to.equal(10);
    expect(s.ttl.violations).to.equal(10);
    expect(s.ttl.byName).to.deep.equal([{ name: 'a.safethings.avira.com', violations: 10 }]);
  });
});

describe('analysis/window-catalog', () => {
  const catalog = new WindowCatalog({
    records: [{ build: 'old', dns: [] }, { build: 'lonely', dns: [] }],
    windows: [window('old', 'enabled', 0, 1000), window('old', 'disabled', 1000, 1000), window('new', 'disabled', 0, 1000, false)],
  });

  it('knows builds from records and windows', () => {
    expect(catalog.builds).to.deep.equal(['lonely', 'new', 'old']);
  });

  it('an unknown build lists the known ones', () => {
    const found = catalog.lookup('neww', 'disabled');
    expect(found).to.deep.equal({ ok: false, message: 'unknown build "neww" (known builds: lonely, new, old)' });
  });

  it('an unknown window lists the build\'s windows', () => {
    const found = catalog.lookup('old', 'disable');
    expect(found.ok).to.equal(false);
    expect(!found.ok && found.message).to.equal('build old has no window "disable" (known windows: disabled, enabled)');
    const none = catalog.lookup('lonely', 'x');
    expect(!none.ok && none.message).to.contain('known windows: none');
  });

  it('carries liveness; pooled windows are alive only when every span was', () => {
    const found = catalog.lookup('new', 'disabled');
    expect(found.ok && found.window.labLive).to.equal(false);
    const mixed = new WindowCatalog({ records: [], windows: [window('a', 'w', 0, 1), window('a', 'w', 5, 1, false)] });
    const pooled = mixed.lookup('a', 'w');
    expect(pooled.ok && pooled.window.labLive).to.equal(false);
  });
});
