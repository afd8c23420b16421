import type { PlannedAnswer } from './answer-planner.js';
import { CLASS_IN, TYPE } from './dns-wire-names.js';
import type { WireQuery } from './wire-query.js';

/** Our EDNS UDP payload size (DNS flag day 2020), advertised in every OPT we send. */
export const SERVER_UDP_SIZE = 1232;
const CLASSIC_UDP_SIZE = 512;
const OPT_SIZE = 11;

export interface EncodeOptions {
  rcode: number;
  answers: readonly PlannedAnswer[];
  /** Force TC with no answers (the `truncate` fault). */
  truncate?: boolean;
  transport: 'udp' | 'tcp';
}

export interface EncodedResponse {
  /** For TCP this includes the 2-byte length prefix (RFC 1035 4.2.2). */
  bytes: Buffer;
  truncated: boolean;
  answers: readonly PlannedAnswer[];
}

const NONE: readonly PlannedAnswer[] = Object.freeze([]);

/** Largest UDP reply the client accepts: 512 without EDNS (RFC 1035 4.2.1), else its size within [512, ours]. */
export function udpLimit(query: WireQuery): number {
  if (query.edns === undefined) return CLASSIC_UDP_SIZE;
  return Math.min(SERVER_UDP_SIZE, Math.max(CLASSIC_UDP_SIZE, query.edns.udpSize));
}

/**
 * Builds the reply by hand (no codec round trip: this is the hot path). The question
 * is echoed byte for byte from the query (keeps 0x20 case randomisation); answer
 * owners are compression pointers to it, or to the last CNAME target.
 */
export function encodeResponse(query: WireQuery, raw: Buffer, o: EncodeOptions): EncodedResponse {
  const prefix = o.transport === 'tcp' ? 2 : 0;
  const qlen = query.questionEnd - 12;
  const opt = query.edns === undefined ? 0 : OPT_SIZE;
  let answers = o.answers;
  let truncated = o.truncate === true && o.transport === 'udp';
  if (truncated) answers = NONE;
  let size = 12 + qlen + opt;
  for (const a of answers) size += 12 + a.rdata.length;
  if (o.transport === 'udp' && size > udpLimit(query)) {
    truncated = true;
    answers = NONE;
    size = 12 + qlen + opt;
  }
  const out = Buffer.allocUnsafe(prefix + size);
  if (prefix) out.writeUInt16BE(size, 0);
  const h = prefix;
  out.writeUInt16BE(query.id, h);
  // QR, AA, RA set; opcode, RD and CD copied from the query (RFC 1035 4.1.1, RFC 4035 3.2.2).
  const flags = 0x8000 | (query.flags & 0x7900) | 0x0400 | (truncated ? 0x0200 : 0) | 0x0080 | (query.flags & 0x0010) | (o.rcode & 0xf);
  out.writeUInt16BE(flags, h + 2);
  out.writeUInt16BE(1, h + 4);
  out.writeUInt16BE(answers.length, h + 6);
  out.writeUInt16BE(0, h + 8);
  out.writeUInt16BE(opt ? 1 : 0, h + 10);
  raw.copy(out, h + 12, 12, query.questionEnd);
  let off = h + 12 + qlen;
  let owner = 12;
  for (const a of answers) {
    out.writeUInt16BE(0xc000 | owner, off);
    out.writeUInt16BE(a.typeCode, off + 2);
    out.writeUInt16BE(CLASS_IN, off + 4);
    out.writeUInt32BE(a.ttl, off + 6);
    out.writeUInt16BE(a.rdata.length, off + 10);
    a.rdata.copy(out, off + 12);
    if (a.typeCode === TYPE.CNAME) owner = off + 12 - h;
    off += 12 + a.rdata.length;
  }
  if (opt) {
    // RFC 6891 6.1.2: root owner, our payload size as class, extended rcode in the TTL's top byte.
    out[off] = 0;
    out.writeUInt16BE(TYPE.OPT, off + 1);
    out.writeUInt16BE(SERVER_UDP_SIZE, off + 3);
    out.writeUInt32BE(((o.rcode >> 4) & 0xff) << 24, off + 5);
    out.writeUInt16BE(0, off + 9);
  }
  return { bytes: out, truncated, answers };
}

/** FORMERR for a message we could not parse but whose header is a query (RFC 1035 4.1.1). */
export function encodeFormErr(raw: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined {
  if (raw.length < 12 || raw[2]! & 0x80) return undefined;
  const prefix = transport === 'tcp' ? 2 : 0;
  const out = Buffer.alloc(prefix + 12);
  if (prefix) out.writeUInt16BE(12, 0);
  out.writeUInt16BE(raw.readUInt16BE(0), prefix);
  out.writeUInt16BE(0x8000 | (raw.readUInt16BE(2) & 0x7900) | 0x0080 | 1, prefix + 2);
  return out;
}
