import { expect } from 'chai';
import { analyzeRun } from '../../../harness/analysis/index.js';
import type { DnsQuery, EgressEvent } from '../../../harness/analysis/analysis-input.js';
import { renderHtml, type RunReport } from '../../../harness/report/index.js';
import { TEST_RUN } from '../../support/test-run.js';

const q = (name: string, atMs: number, type = 'A', rcode: string | null = 'NOERROR'): DnsQuery =>
  ({ atMs, name, type, response: rcode === null ? null : { rcode, ttl: 60 } });
const tls = (address: string, sni: string, atMs: number): EgressEvent => ({ atMs, transport: 'tcp', destination: { address, port: 443 }, bytes: 300, sni });

function analysis() {
  const windows = ['archer/old', 'archer/new'].map((build) => ({ build, window: 'disabled', startMs: 0, endMs: 30_000, labLive: true }));
  return analyzeRun({
    records: [
      { build: 'archer/old', dns: [q('a.example', 1000), q('a.example', 2000, 'AAAA')], egress: [tls('203.0.113.1', 'a.example', 3000)] },
      {
        build: 'archer/new',
        dns: [q('a.example', 1000), q('b.example', 2000, 'A', 'NXDOMAIN'), q('b.example', 2500, 'A', null), q('ab12.probe.firmlab.test', 4000), q('c.example', 40_000)],
        egress: [tls('203.0.113.1', 'a.example', 3000), tls('203.0.113.9', 'telemetry.example', 5000)],
      },
    ],
    windows,
  }, [{ build: 'archer/new', window: 'disabled', domain: 'b.example', maxPerDay: 1e6 }]);
}

describe('analysis/contact-stats: what each build contacted, and what is new', () => {
  it('lists each window\'s names with their counts, types and answers, most asked first; probes and other windows left out', () => {
    const names = analysis().names.find((n) => n.build === 'archer/new')!;
    expect(names.names).to.deep.equal([
      { name: 'b.example', count: 2, types: 'A x2', rcodes: 'dropped x1, NXDOMAIN x1' },
      { name: 'a.example', count: 1, types: 'A x1', rcodes: 'NOERROR x1' },
    ]);
  });

  it('names what the new build contacted that the old did not, by name and by destination', () => {
    expect(analysis().newContacts).to.deep.equal([{
      old: 'archer/old', new: 'archer/new', window: 'disabled',
      names: ['b.example'], destinations: ['tcp 203.0.113.9:443 sni telemetry.example'],
    }]);
  });

  it('report.html shows the new contacts first and a names table per build and window', () => {
    const a = analysis();
    const report: RunReport = {
      run: TEST_RUN,
      scenario: { name: 's', file: 's.yaml' }, startedAtMs: 0, finishedAtMs: 1, durationMs: 1, runDir: '/r', exitCode: 0, analysis: a,
      builds: ['archer/old', 'archer/new'].map((build) => ({ build, firmware: { path: 'x.bin', version: build.endsWith('old') ? '1.0.7' : '1.0.9' }, runDir: '/r', timings: {}, ok: true, queries: 0 })),
    };
    const html = renderHtml(report);
    expect(html).to.contain('<li data-build="archer/new" data-window="disabled">archer/new/disabled: <code>b.example</code> (not contacted by archer/old)</li>');
    expect(html).to.contain('<code>tcp 203.0.113.9:443 sni telemetry.example</code>');
    expect(html).to.match(/<section class="contacts" data-build="archer\/new"><h3>archer\/new \(1\.0\.9\)<\/h3><h4>disabled<\/h4><table class="names">.*<td>b\.example<\/td><td>2<\/td>/);
    expect(html.indexOf('id="new-contacts"')).to.be.below(html.indexOf('class="contacts"'));
  });
});
