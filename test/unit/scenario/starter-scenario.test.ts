import { expect } from 'chai';
import { analyzeRun, poissonUpper, PROBE_SUFFIX } from '../../../harness/analysis/index.js';
import type { RunReport } from '../../../harness/report/index.js';
import { parseScenario } from '../../../harness/scenario/load-scenario.js';
import { domainPatternFor, starterScenario } from '../../../harness/scenario/starter-scenario.js';
import { TEST_RUN } from '../../support/test-run.js';

const T0 = 1_764_000_000_000;
const q = (atMs: number, name: string) => ({ atMs: T0 + atMs, name, type: 'A', response: { rcode: 'NOERROR', ttl: 60 } });

function baseline(): RunReport {
  const dns = [
    ...Array.from({ length: 12 }, (_, i) => q(i * 5000, `${i % 4}.openwrt.pool.ntp.org`)),
    q(3000, 'downloads.openwrt.org'),
    q(4000, `x1.${PROBE_SUFFIX}`),
  ];
  const analysis = analyzeRun({
    records: [{ build: 'new', dns, egress: [{ atMs: T0 + 7000, transport: 'udp', destination: { address: '203.0.113.7', port: 123 }, bytes: 48 }] }],
    windows: [{ build: 'new', window: 'baseline', startMs: T0, endMs: T0 + 60_000, labLive: true }],
  }, [], { extraDomains: ['*'] });
  return {
    run: TEST_RUN, scenario: { name: 'x-baseline', file: '/tmp/b.yaml' }, startedAtMs: T0, finishedAtMs: T0 + 90_000, durationMs: 90_000, runDir: '/r',
    exitCode: 0, analysis,
    builds: [{
      build: 'new', runDir: '/r/new', ok: true, queries: dns.length, timings: { 'boot.readyMs': 27_500 },
      firmware: { path: '/fw/openwrt.bin', sha256: 'ab'.repeat(32), format: 'tplink-v1', version: 'ver. 1.0', profile: { name: 'openwrt', reason: 'found /etc/openwrt_release' } } as never,
    }],
  };
}

describe('scenario/starter-scenario: what firmlab init writes', () => {
  const text = starterScenario(baseline(), { firmware: '../fw/openwrt.bin', schema: '../scenarios/schema.json', name: 'openwrt', command: 'firmlab init fw/openwrt.bin', next: 'npx firmlab run s/openwrt.yaml' });

  it('is a scenario the loader takes as it is: the profile used, a boot timeout from the boot seen, the same window', () => {
    const s = parseScenario(text, '/work/s/openwrt.yaml');
    expect(s.name).to.equal('openwrt');
    expect(s.lab.profile).to.deep.equal({ profile: 'openwrt' });
    expect(s.models[0]!.firmware).to.deep.equal({ old: '/work/fw/openwrt.bin', new: '/work/fw/openwrt.bin' });
    expect(s.steps.map((st) => st.kind)).to.deep.equal(['boot', 'observe']);
    // Three times the 27.5 s it took, in tens of seconds.
    expect(s.steps[0]).to.deep.include({ timeoutMs: 90_000 });
    expect(s.steps[1]).to.deep.include({ forMs: 60_000, as: 'baseline' });
  });

  it('suggests a max_per_day per contacted domain: twice the 95% upper bound of the rate seen', () => {
    const s = parseScenario(text, '/work/s/openwrt.yaml');
    const byDomain = Object.fromEntries(s.expect.map((e) => [(e as { domain: string }).domain, (e as { maxPerDay: number }).maxPerDay]));
    expect(Object.keys(byDomain).sort()).to.deep.equal(['*.ntp.org', '*.openwrt.org']);
    const ntp = byDomain['*.ntp.org']!;
    expect(ntp).to.be.at.least((poissonUpper(12) / 60) * 86_400 * 2);
    expect(ntp).to.be.below((poissonUpper(12) / 60) * 86_400 * 2.2);
  });

  it('keeps the baseline as comments: every name with its count, the other egress, never the lab\'s own probes', () => {
    expect(text).to.match(/^# yaml-language-server: \$schema=\.\.\/scenarios\/schema\.json$/m);
    expect(text).to.contain('#   0.openwrt.pool.ntp.org: 3 (A x3; NOERROR x3)');
    expect(text).to.contain('#   downloads.openwrt.org: 1');
    expect(text).to.contain('#   udp 203.0.113.7:123: 1');
    expect(text).to.contain('Device profile openwrt (found /etc/openwrt_release); ready after 28 s');
    expect(text).to.not.contain(PROBE_SUFFIX);
    expect(text).to.match(/^# {3}npx firmlab run s\/openwrt\.yaml$/m);
  });

  it('patterns group a pool\'s names by their last two labels', () => {
    expect(['0.openwrt.pool.ntp.org', 'a.b', 'localhost'].map(domainPatternFor)).to.deep.equal(['*.ntp.org', 'a.b', 'localhost']);
  });
});
