import { expect } from 'chai';
import { AnswerPlanner } from '../../../harness/dns/answer-planner.js';
import { encodeQuery, encodeResponse, parseWireQuery } from '../../../harness/dns/dns-codec.js';
import { buildMalformedRecord, buildQueryRecord, MALFORMED_HEX_CAP } from '../../../harness/dns/record-builder.js';

describe('dns record building', () => {
  const planner = new AnswerPlanner([
    { match: '*.safethings.avira.com', answers: [{ type: 'A', data: '203.0.113.10' }, { type: 'A', data: '203.0.113.11' }], ttl: 300 },
    { match: 'drop.example', answers: [], fault: 'drop' },
  ]);
  const client = { address: '10.200.0.2', port: 40000 };
  const make = (name: string, transport: 'udp' | 'tcp', ednsUdpSize?: number) => {
    const raw = encodeQuery({ id: 9, name, ...(ednsUdpSize === undefined ? {} : { ednsUdpSize }) });
    const query = parseWireQuery(raw);
    const lower = query.nameAsSent.toLowerCase();
    const plan = planner.plan({ name: lower, qtype: query.qtype, qclass: 1, opcode: 0, transport });
    const sent = plan.action === 'drop' ? undefined : encodeResponse(query, { rcode: plan.rcode, answers: plan.answers, transport });
    return buildQueryRecord(query, lower, transport, client, 1_000, { plan, ...(sent ? { sent } : {}) }, 3);
  };

  it('builds the contract shape for an answered query', () => {
    const r = make('A1.SafeThings.Avira.com', 'udp', 1232);
    expect(JSON.parse(JSON.stringify(r))).to.deep.equal({
      kind: 'dns-query', atMs: 1000, transport: 'udp', client, id: 9, flags: 0x0100,
      name: 'a1.safethings.avira.com', nameAsSent: 'A1.SafeThings.Avira.com', type: 'A', class: 'IN',
      ednsUdpSize: 1232, rule: '*.safethings.avira.com',
      response: { rcode: 'NOERROR', answers: [{ type: 'A', data: '203.0.113.10', ttl: 300 }, { type: 'A', data: '203.0.113.11', ttl: 300 }], ttl: 300 },
      answerMs: 3,
    });
  });

  it('omits EDNS size, rule and ttl when absent (JSON)', () => {
    const json = JSON.parse(JSON.stringify(make('other.test', 'tcp')));
    expect(json).to.not.have.any.keys('ednsUdpSize', 'rule');
    expect(json.response).to.deep.equal({ rcode: 'NOERROR', answers: [{ type: 'A', data: '198.51.100.1', ttl: 30 }], ttl: 30 });
  });

  it('records a dropped query with a null response', () => {
    expect(make('drop.example', 'udp').response).to.equal(null);
  });

  it('caps malformed bytes', () => {
    const r = buildMalformedRecord(Buffer.alloc(2000, 0xab), 'udp', client, 5, 'boom');
    expect(r.bytesHex).to.have.length(MALFORMED_HEX_CAP * 2);
    expect(r).to.deep.include({ kind: 'dns-malformed', atMs: 5, transport: 'udp', error: 'boom' });
  });
});
