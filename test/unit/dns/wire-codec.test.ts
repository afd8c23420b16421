import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { AnswerPlanner } from '../../../harness/dns/answer-planner.js';
import { decodeMessage, encodeFormErr, encodeQuery, encodeResponse, parseWireQuery, WireFormatError } from '../../../harness/dns/dns-codec.js';
import { TYPE } from '../../../harness/dns/dns-wire-names.js';

describe('dns wire query parsing', () => {
  it('reads id, flags, name as sent, type, class and EDNS size', () => {
    const q = parseWireQuery(encodeQuery({ id: 4660, name: 'A1.SafeThings.avira.com', type: 'AAAA', ednsUdpSize: 1400 }));
    expect(q).to.deep.include({ id: 4660, flags: 0x0100, nameAsSent: 'A1.SafeThings.avira.com', qtype: TYPE.AAAA, qclass: 1 });
    expect(q.edns).to.deep.equal({ udpSize: 1400, version: 0, flags: 0 });
  });

  it('has no EDNS when the query had no OPT', () => {
    expect(parseWireQuery(encodeQuery({ name: 'x.example' })).edns).to.equal(undefined);
  });

  it('escapes dots and unprintable bytes inside labels', () => {
    const raw = Buffer.from('000001000001000000000000' + '03612e62' + '027e01' + '00' + '00010001', 'hex');
    expect(parseWireQuery(raw).nameAsSent).to.equal('a\\.b.~\\001');
  });

  const broken: [string, string][] = [
    ['short header', '0001020304'],
    ['a response', '0000810000010000000000000000010001'],
    ['no question', '000001000000000000000000'],
    ['name past the end', '00000100000100000000000005616263'],
    ['pointer loop', '000001000001000000000000c00c00010001'],
    ['missing type/class', '0000010000010000000000000000'],
    ['truncated additional', '00000100000100000000000100000100010000'],
    ['a record length past the end', '000001000001000000000001' + '0000010001' + '00' + 'ff00' + '0001' + '00000000' + '0010' + '01020304'],
    ['a compressed question name', '000001000001000000000000c00000010001'],
    ['two OPT records', '000001000001000000000002' + '0000010001' + '0000291000000000000000' + '0000291000000000000000'],
  ];
  for (const [name, hex] of broken) {
    it(`rejects ${name}`, () => {
      expect(() => parseWireQuery(Buffer.from(hex, 'hex'))).to.throw(WireFormatError);
    });
  }
});

describe('dns wire response encoding', () => {
  const planner = new AnswerPlanner([
    { match: 'alias.example', answers: [{ type: 'CNAME', data: 'target.example' }, { type: 'A', data: '192.0.2.9' }], ttl: 120 },
    { match: 'big.example', answers: [{ type: 'TXT', data: 'x'.repeat(600) }], ttl: 60 },
  ]);
  const roundTrip = (name: string, type: string, transport: 'udp' | 'tcp', ednsUdpSize?: number) => {
    const raw = encodeQuery({ id: 7, name, type, ...(ednsUdpSize === undefined ? {} : { ednsUdpSize }) });
    const query = parseWireQuery(raw);
    const plan = planner.plan({ name: name.toLowerCase(), qtype: query.qtype, qclass: 1, opcode: 0, transport });
    const enc = encodeResponse(query, { rcode: plan.rcode, answers: plan.answers, transport });
    const body = transport === 'tcp' ? enc.bytes.subarray(2) : enc.bytes;
    if (transport === 'tcp') expect(enc.bytes.readUInt16BE(0)).to.equal(body.length);
    return { enc, msg: decodeMessage(body) };
  };

  it('echoes the question byte for byte, class and case included (here CH, which the planner refuses)', () => {
    const raw = Buffer.from('1234' + '0100' + '0001000000000000' + '0756657273696f6e' + '0462696e64' + '00' + '0010' + '0003', 'hex');
    const query = parseWireQuery(raw);
    expect([query.nameAsSent, query.qtype, query.qclass, query.echoOnly]).to.deep.equal(['Version.bind', 16, 3, false]);
    const enc = encodeResponse(query, { rcode: 5, answers: [], transport: 'udp' });
    expect(enc.bytes.subarray(12).toString('hex')).to.equal(raw.subarray(12).toString('hex'));
    expect(decodeMessage(enc.bytes)).to.deep.include({ id: 0x1234, rcode: 'REFUSED', isResponse: true });
  });

  it('a name dns-packet cannot write back (a dot inside a label) gets its question echoed and no answers', () => {
    const raw = Buffer.from('000901000001000000000000' + '03612e62' + '076578616d706c65' + '00' + '00010001', 'hex');
    const query = parseWireQuery(raw);
    expect([query.nameAsSent, query.echoOnly]).to.deep.equal(['a\\.b.example', true]);
    const plan = planner.plan({ name: query.nameAsSent.toLowerCase(), qtype: 1, qclass: 1, opcode: 0, transport: 'udp' });
    expect(plan.answers).to.have.length.above(0);
    const enc = encodeResponse(query, { rcode: plan.rcode, answers: plan.answers, transport: 'udp' });
    expect(enc.answers).to.have.length(0);
    expect(enc.bytes.subarray(12).toString('hex')).to.equal(raw.subarray(12).toString('hex'));
    expect(enc.bytes.readUInt16BE(6)).to.equal(0);
  });

  it('sends TCP answers behind their 2-byte length, TXT split into 255-byte strings', () => {
    const { enc, msg } = roundTrip('big.example', 'TXT', 'tcp');
    expect(enc.bytes.readUInt16BE(0)).to.equal(enc.bytes.length - 2);
    const txt = dnsPacket.decode(enc.bytes.subarray(2)).answers![0] as { data: Buffer[] };
    expect(txt.data.map((b) => b.length)).to.deep.equal([255, 255, 90]);
    expect(msg.answers[0]!.data).to.equal('x'.repeat(600));
  });

  it('decodes with dns-packet: id, question echoed with its case, answers, OPT', () => {
    const { msg } = roundTrip('Alias.Example', 'A', 'udp', 1232);
    expect(msg).to.deep.include({ id: 7, rcode: 'NOERROR', isResponse: true, truncated: false, authoritative: true, ednsUdpSize: 1232 });
    expect(msg.questions).to.deep.equal([{ name: 'Alias.Example', type: 'A', class: 'IN' }]);
    expect(msg.answers).to.deep.equal([
      { name: 'Alias.Example', type: 'CNAME', data: 'target.example', ttl: 120 },
      { name: 'target.example', type: 'A', data: '192.0.2.9', ttl: 120 },
    ]);
  });

  it('truncates over UDP beyond 512 bytes without EDNS, and not over TCP', () => {
    const udp = roundTrip('big.example', 'TXT', 'udp');
    expect([udp.enc.truncated, udp.msg.truncated, udp.msg.answers.length]).to.deep.equal([true, true, 0]);
    const tcp = roundTrip('big.example', 'TXT', 'tcp');
    expect([tcp.enc.truncated, tcp.msg.answers[0]?.data]).to.deep.equal([false, 'x'.repeat(600)]);
  });

  it('fits the answer when the EDNS size allows it', () => {
    expect(roundTrip('big.example', 'TXT', 'udp', 1232).msg.answers).to.have.length(1);
    expect(roundTrip('big.example', 'TXT', 'udp', 512).msg.truncated).to.equal(true);
  });

  it('puts BADVERS into the OPT extended rcode', () => {
    const raw = encodeQuery({ name: 'x.example', ednsUdpSize: 1232 });
    const enc = encodeResponse(parseWireQuery(raw), { rcode: 16, answers: [], transport: 'udp' });
    expect(decodeMessage(enc.bytes).extendedRcode).to.equal(1);
  });

  it('answers FORMERR to a broken query but never to a response', () => {
    const formErr = encodeFormErr(Buffer.from('abcd01000000000000000000ff', 'hex'), 'udp');
    expect(formErr && decodeMessage(formErr)).to.deep.include({ id: 0xabcd, rcode: 'FORMERR', isResponse: true });
    expect(encodeFormErr(Buffer.from('abcd81000000000000000000', 'hex'), 'udp')).to.equal(undefined);
    expect(encodeFormErr(Buffer.from('abcd', 'hex'), 'udp')).to.equal(undefined);
  });
});
