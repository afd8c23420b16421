import { expect } from 'chai';
import type { DnsQueryRecord, DnsRecord } from '../../../harness/dns/dns-query-record.js';
import { recordLine } from '../../../harness/dns/record-line.js';

const base: DnsQueryRecord = {
  kind: 'dns-query', atMs: 1_700_000_000_123, transport: 'udp', client: { address: '10.200.0.2', port: 40000 }, resolver: undefined,
  id: 9, flags: 256, name: 'a1.safethings.avira.com', nameAsSent: 'A1.SafeThings.avira.com', type: 'A', class: 'IN',
  ednsUdpSize: undefined, rule: '*.safethings.avira.com',
  response: Object.freeze({ rcode: 'NOERROR', answers: [{ type: 'A', data: '203.0.113.10', ttl: 300 }], ttl: 300 }),
  answerMs: 0,
};

describe('recordLine: dns.jsonl lines without JSON.stringify', () => {
  const cases: [string, DnsRecord][] = [
    ['an answered query', base],
    ['EDNS size present', { ...base, ednsUdpSize: 1232 }],
    ['no rule (sinkhole answer)', { ...base, rule: undefined }],
    ['a dropped query', { ...base, response: null }],
    ['a fault and truncation', { ...base, response: { rcode: 'NOERROR', answers: [], fault: 'truncate', truncated: true } }],
    ['names needing JSON escapes', { ...base, name: 'a"b\\.c', nameAsSent: 'A"B\\.C\u0001\u00e9' }],
    ['a rule with quotes', { ...base, rule: 'we"ird' }],
    ['a lone surrogate in a name', { ...base, nameAsSent: 'x\ud800y' }],
    ['IPv6 client, TCP', { ...base, transport: 'tcp', client: { address: '::1', port: 53 } }],
    ['the resolver the guest chose', { ...base, resolver: { address: '8.8.8.8', port: 53 } }],
    ['a TXT answer with quotes and newline', { ...base, response: { rcode: 'NOERROR', answers: [{ type: 'TXT', data: 'say "hi"\n', ttl: 5 }], ttl: 5 } }],
    ['a malformed packet', { kind: 'dns-malformed', atMs: 5, transport: 'udp', client: { address: '127.0.0.1', port: 1 }, bytesHex: 'ab', error: 'too "short"' }],
  ];
  for (const [what, record] of cases) {
    it(`equals JSON.stringify for ${what}`, () => {
      expect(recordLine(record)).to.equal(JSON.stringify(record) + '\n');
    });
  }

  it('does not serve a stale cached response for a mutable response object', () => {
    const response = { rcode: 'NOERROR', answers: [] as { type: string; data: string; ttl: number }[] };
    const r = { ...base, response };
    recordLine(r);
    response.rcode = 'SERVFAIL';
    expect(recordLine(r)).to.equal(JSON.stringify(r) + '\n');
  });
});
