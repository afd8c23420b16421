import { expect } from 'chai';
import { parseClientHello } from '../../../harness/egress/client-hello.js';
import { sniffFirstBytes } from '../../../harness/egress/first-bytes-sniffer.js';

const u16 = (n: number) => [n >> 8, n & 0xff];
const u24 = (n: number) => [n >> 16, (n >> 8) & 0xff, n & 0xff];

/** A ClientHello built field by field (RFC 8446 4.1.2), optionally split across two TLS records. */
export function buildClientHello(sni: string | undefined, splitAt?: number): Buffer {
  const exts: number[] = [];
  if (sni !== undefined) {
    const name = [...Buffer.from(sni)];
    const entry = [0, ...u16(name.length), ...name];
    const data = [...u16(entry.length), ...entry];
    exts.push(...u16(0), ...u16(data.length), ...data);
  }
  exts.push(...u16(0x002b), ...u16(3), 2, 0x03, 0x04); // supported_versions: TLS 1.3
  const body = [0x03, 0x03, ...new Array(32).fill(7), 0, ...u16(2), 0x13, 0x01, 1, 0, ...u16(exts.length), ...exts];
  const hs = [1, ...u24(body.length), ...body];
  const record = (payload: number[]) => [0x16, 0x03, 0x01, ...u16(payload.length), ...payload];
  if (splitAt === undefined) return Buffer.from(record(hs));
  return Buffer.from([...record(hs.slice(0, splitAt)), ...record(hs.slice(splitAt))]);
}

describe('TLS ClientHello parsing', () => {
  const hello = buildClientHello('a1.safethings.avira.com');
  const table: [string, Buffer, object][] = [
    ['SNI', hello, { kind: 'client-hello', sni: 'a1.safethings.avira.com' }],
    ['no SNI', buildClientHello(undefined), { kind: 'client-hello' }],
    ['split across records', buildClientHello('split.example', 20), { kind: 'client-hello', sni: 'split.example' }],
    ['truncated', hello.subarray(0, 40), { kind: 'incomplete' }],
    ['empty', Buffer.alloc(0), { kind: 'incomplete' }],
    ['HTTP', Buffer.from('GET / HTTP/1.1\r\n'), { kind: 'not-tls' }],
    ['server hello', Buffer.from([0x16, 0x03, 0x03, 0, 4, 2, 0, 0, 0]), { kind: 'invalid', reason: 'handshake type 2, not ClientHello' }],
  ];
  for (const [name, bytes, expected] of table) {
    it(name, () => expect(parseClientHello(bytes)).to.deep.equal(expected));
  }

  it('never throws on garbage', () => {
    for (let i = 0; i < 500; i++) {
      const b = Buffer.from(hello);
      for (let k = 0; k < 4; k++) b[5 + Math.floor(Math.random() * (b.length - 5))] = Math.floor(Math.random() * 256);
      expect(() => parseClientHello(b)).to.not.throw();
    }
  });
});

describe('first-bytes sniffing', () => {
  it('reads the HTTP Host header and knows when the head is complete', () => {
    expect(sniffFirstBytes(Buffer.from('GET /x HTTP/1.1\r\nHost: update.example\r\nAccept: */*\r\n\r\n'))).to.deep.equal({ httpHost: 'update.example', complete: true });
    expect(sniffFirstBytes(Buffer.from('POST /x HTTP/1.1\r\nHost: a.example\r\n'))).to.deep.equal({ httpHost: 'a.example', complete: false });
  });

  it('reports SNI from TLS', () => {
    expect(sniffFirstBytes(buildClientHello('x.example'))).to.deep.equal({ sni: 'x.example', complete: true });
  });

  it('waits for more on unknown bytes', () => {
    expect(sniffFirstBytes(Buffer.from('hello'))).to.deep.equal({ complete: false });
  });
});
