import { expect } from 'chai';
import type { DnsQuery } from '../../../harness/analysis/analysis-input.js';
import { findRequeries, ttlCompliance } from '../../../harness/analysis/ttl-compliance.js';

function q(atMs: number, name: string, ttl?: number, type = 'A', rcode = 'NOERROR'): DnsQuery {
  return { atMs, name, type, response: ttl === undefined && rcode === 'DROP' ? null : { rcode, ...(ttl === undefined ? {} : { ttl }) } };
}

describe('analysis/ttl-compliance', () => {
  it('re-query well after the TTL is compliant', () => {
    const r = findRequeries([q(0, 'a.example', 10), q(11_000, 'a.example', 10)]);
    expect(r).to.have.length(1);
    expect(r[0]!.violation).to.equal(false);
    expect(ttlCompliance(r)).to.deep.equal({ checked: 1, violations: 0, byName: [] });
  });

  it('re-query a second after a 300 s answer is a violation', () => {
    const r = findRequeries([q(0, 'a.example', 300), q(1000, 'a.example', 300)]);
    expect(r[0]!.violation).to.equal(true);
    expect(r[0]!.earlyByMs).to.equal(298_000);
  });

  it('grace absorbs a re-query just before expiry, and only within the grace', () => {
    const justEarly = [q(0, 'a.example', 10), q(9500, 'a.example', 10)];
    expect(findRequeries(justEarly)[0]!.violation, 'default 1 s grace').to.equal(false);
    expect(findRequeries(justEarly, 0)[0]!.violation, 'no grace').to.equal(true);
    const tooEarly = [q(0, 'a.example', 10), q(8999, 'a.example', 10)];
    expect(findRequeries(tooEarly)[0]!.violation, '1.001 s early').to.equal(true);
    const onEdge = [q(0, 'a.example', 10), q(9000, 'a.example', 10)];
    expect(findRequeries(onEdge)[0]!.violation, 'exactly at TTL - grace').to.equal(false);
  });

  it('compares with the latest answer, not the first', () => {
    const r = findRequeries([q(0, 'a.example', 5), q(6000, 'a.example', 60), q(12_000, 'a.example', 60)]);
    expect(r.map((x) => x.violation)).to.deep.equal([false, true]);
    expect(r[1]!.previousAtMs).to.equal(6000);
  });

  it('keys by name and type, case-insensitively', () => {
    const r = findRequeries([q(0, 'A.Example.', 300), q(100, 'a.example', 300, 'AAAA'), q(200, 'a.example', 300)]);
    expect(r).to.have.length(1);
    expect(r[0]).to.include({ name: 'a.example', type: 'A', violation: true });
  });

  it('answers without a TTL (NXDOMAIN, SERVFAIL, dropped) are not cached answers', () => {
    const r = findRequeries([
      q(0, 'gone.example', undefined, 'A', 'NXDOMAIN'),
      q(100, 'gone.example', undefined, 'A', 'SERVFAIL'),
      q(200, 'gone.example', undefined, 'A', 'DROP'),
      q(300, 'gone.example'),
    ]);
    expect(r).to.have.length(0);
  });

  it('TTL 0 allows immediate re-queries', () => {
    expect(findRequeries([q(0, 'a.example', 0), q(1, 'a.example', 0)])[0]!.violation).to.equal(false);
  });

  it('sorts input and counts violations per name, most first', () => {
    const r = findRequeries([
      q(2000, 'b.example', 300), q(0, 'a.example', 300), q(1000, 'a.example', 300),
      q(3000, 'b.example', 300), q(4000, 'b.example', 300),
    ]);
    expect(ttlCompliance(r)).to.deep.equal({
      checked: 3,
      violations: 3,
      byName: [{ name: 'b.example', violations: 2 }, { name: 'a.example', violations: 1 }],
    });
  });
});
