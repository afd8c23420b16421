/**
 * Reads the server name (SNI) from the first bytes of a TLS connection without
 * taking part in the handshake: TLS record layer (RFC 8446 5.1), ClientHello
 * (RFC 8446 4.1.2), server_name extension (RFC 6066 3).
 */
export type ClientHelloResult =
  | { kind: 'not-tls' }
  /** Looks like TLS but more bytes are needed. */
  | { kind: 'incomplete' }
  | { kind: 'client-hello'; sni?: string }
  | { kind: 'invalid'; reason: string };

const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;
const EXT_SERVER_NAME = 0x0000;

export function parseClientHello(bytes: Uint8Array): ClientHelloResult {
  if (bytes.length === 0) return { kind: 'incomplete' };
  if (bytes[0] !== HANDSHAKE) return { kind: 'not-tls' };
  if (bytes.length >= 2 && bytes[1] !== 0x03) return { kind: 'not-tls' };
  // The handshake message may span several records: join their payloads.
  const payload: number[] = [];
  let off = 0;
  let needed = -1;
  while (off + 5 <= bytes.length && bytes[off] === HANDSHAKE) {
    const len = (bytes[off + 3]! << 8) | bytes[off + 4]!;
    const end = Math.min(off + 5 + len, bytes.length);
    for (let i = off + 5; i < end; i++) payload.push(bytes[i]!);
    off += 5 + len;
    if (needed < 0 && payload.length >= 4) {
      if (payload[0] !== CLIENT_HELLO) return { kind: 'invalid', reason: `handshake type ${payload[0]}, not ClientHello` };
      needed = 4 + ((payload[1]! << 16) | (payload[2]! << 8) | payload[3]!);
    }
    if (needed >= 0 && payload.length >= needed) break;
  }
  if (needed < 0 || payload.length < needed) return { kind: 'incomplete' };
  return readHello(Uint8Array.from(payload.slice(4, needed)));
}

function readHello(b: Uint8Array): ClientHelloResult {
  const r = new Reader(b);
  try {
    r.skip(2 + 32); // legacy_version, random
    r.skip(r.u8()); // legacy_session_id
    r.skip(r.u16()); // cipher_suites
    r.skip(r.u8()); // legacy_compression_methods
    if (r.done()) return { kind: 'client-hello' };
    const extEnd = r.pos + r.u16();
    while (r.pos + 4 <= extEnd) {
      const type = r.u16();
      const len = r.u16();
      const next = r.pos + len;
      if (type === EXT_SERVER_NAME) {
        const listEnd = r.pos + 2 + r.u16();
        while (r.pos + 3 <= listEnd) {
          const nameType = r.u8();
          const nameLen = r.u16();
          const name = r.bytes(nameLen);
          if (nameType === 0) return { kind: 'client-hello', sni: Buffer.from(name).toString('latin1') };
        }
      }
      r.pos = next;
    }
    return { kind: 'client-hello' };
  } catch (e) {
    return { kind: 'invalid', reason: e instanceof Error ? e.message : String(e) };
  }
}

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  private need(n: number): void {
    if (this.pos + n > this.b.length) throw new Error(`ClientHello truncated at byte ${this.pos}`);
  }
  u8(): number {
    this.need(1);
    return this.b[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = (this.b[this.pos]! << 8) | this.b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  done(): boolean {
    return this.pos >= this.b.length;
  }
}
