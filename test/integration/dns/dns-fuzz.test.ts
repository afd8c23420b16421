import { expect } from 'chai';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { decodeMessage, encodeQuery } from '../../../harness/dns/dns-codec.js';
import { DnsRecorder } from '../../../harness/dns/dns-recorder.js';
import { seededRandom } from '../../../harness/dns/seeded-random.js';

const PACKETS = 2000;

/** Random bytes, or a valid query with a few bytes flipped, cut short or extended. */
function fuzzPacket(rand: () => number, i: number): Buffer {
  const int = (n: number) => Math.floor(rand() * n);
  if (i % 3 === 0) return Buffer.from(Array.from({ length: int(600) }, () => int(256)));
  const b = Buffer.from(encodeQuery({ id: i & 0xffff, name: `f${i}.safethings.avira.com`, type: ['A', 'AAAA', 'TXT'][i % 3]!, ...(i % 2 ? { ednsUdpSize: 4096 } : {}) }));
  for (let k = 0, n = 1 + int(4); k < n; k++) b[int(b.length)] = int(256);
  if (i % 5 === 0) return b.subarray(0, int(b.length));
  if (i % 7 === 0) return Buffer.concat([b, Buffer.from(Array.from({ length: int(40) }, () => int(256)))]);
  return b;
}

async function udpQuery(port: number, name: string): Promise<string> {
  const s = createSocket('udp4');
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer for ${name}`)), 3000);
      s.on('message', (m) => {
        const d = decodeMessage(m);
        if (d.questions[0]?.name !== name) return;
        clearTimeout(timer);
        resolve(d.answers[0]?.data ?? d.rcode);
      });
      s.send(encodeQuery({ id: 1, name }), port, '127.0.0.1');
    });
  } finally {
    s.close();
  }
}

async function tcpQuery(port: number, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const q = encodeQuery({ id: 2, name });
    const framed = Buffer.concat([Buffer.from([q.length >> 8, q.length & 0xff]), q]);
    let buf = Buffer.alloc(0);
    sock.setTimeout(3000, () => reject(new Error('tcp timeout')));
    sock.on('connect', () => sock.write(framed));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        sock.destroy();
        resolve(decodeMessage(buf.subarray(2, 2 + buf.readUInt16BE(0))).answers[0]?.data ?? 'none');
      }
    });
    sock.on('error', reject);
  });
}

describe('DnsRecorder under fuzzing (loopback only)', function () {
  this.timeout(120_000);

  it('keeps answering valid queries during and after 2,000 random/mutated packets, and records the malformed ones', async () => {
    await using rec = await DnsRecorder.start({ listen: [{ host: '127.0.0.1', port: 0 }], rules: [{ match: '*.safethings.avira.com', answers: [{ type: 'A', data: '203.0.113.10' }] }] });
    const port = rec.addresses()[0]!.port;
    const rand = seededRandom(1234);
    const sender = createSocket('udp4');
    const tcpSends: Promise<void>[] = [];
    for (let i = 0; i < PACKETS; i++) {
      const p = fuzzPacket(rand, i);
      if (i % 4 === 3) {
        // TCP: a bad length prefix now and then, so frames split or stop mid-message.
        const len = i % 8 === 7 ? Math.floor(rand() * 65536) : p.length;
        tcpSends.push(new Promise((resolve) => {
          const s = connect(port, '127.0.0.1', () => s.end(Buffer.concat([Buffer.from([len >> 8, len & 0xff]), p])));
          s.on('error', () => resolve());
          s.on('close', () => resolve());
          s.resume();
        }));
      } else {
        sender.send(p, port, '127.0.0.1');
      }
      if (i % 250 === 0) {
        expect(await udpQuery(port, `live${i}.safethings.avira.com`)).to.equal('203.0.113.10');
        await Promise.all(tcpSends.splice(0));
      }
    }
    await Promise.all(tcpSends);
    expect(await udpQuery(port, 'after.safethings.avira.com')).to.equal('203.0.113.10');
    expect(await tcpQuery(port, 'after-tcp.safethings.avira.com')).to.equal('203.0.113.10');
    sender.close();

    const malformed = rec.records.filter((r) => r.kind === 'dns-malformed');
    expect(malformed.length).to.be.greaterThan(PACKETS / 4);
    expect(malformed.every((m) => m.bytesHex.length <= 1024 && m.error.length > 0)).to.equal(true);
    expect(new Set(malformed.map((m) => m.transport))).to.deep.equal(new Set(['udp', 'tcp']));
  });
});
