import { TYPE } from './dns-wire-names.js';

/** The parts of a query the recorder needs, read straight off the wire (RFC 1035 4.1, RFC 6891 6.1). */
export interface WireQuery {
  id: number;
  flags: number;
  /** Question name in presentation form without trailing dot; `.` for the root. */
  nameAsSent: string;
  qtype: number;
  qclass: number;
  /** Offset just past the question: bytes [12, questionEnd) are echoed in the reply. */
  questionEnd: number;
  /** Present when the query carried an OPT record. */
  edns?: { udpSize: number; version: number; flags: number };
}

export class WireFormatError extends Error {}

const MAX_POINTER_HOPS = 32;

/**
 * Parses one DNS query. Throws WireFormatError on anything a resolver could not
 * answer: short header, a response (QR set), not exactly one question, bad
 * names, truncated records, or more than one OPT.
 */
export function parseWireQuery(buf: Buffer): WireQuery {
  if (buf.length < 12) throw new WireFormatError(`message too short (${buf.length} bytes, header needs 12)`);
  const flags = buf.readUInt16BE(2);
  if (flags & 0x8000) throw new WireFormatError('QR bit set: a response, not a query');
  const qd = buf.readUInt16BE(4);
  if (qd !== 1) throw new WireFormatError(`expected 1 question, got ${qd}`);
  const [nameAsSent, afterName] = readName(buf, 12);
  if (afterName + 4 > buf.length) throw new WireFormatError('question truncated');
  const qtype = buf.readUInt16BE(afterName);
  const qclass = buf.readUInt16BE(afterName + 2);
  const questionEnd = afterName + 4;
  const query: WireQuery = { id: buf.readUInt16BE(0), flags, nameAsSent, qtype, qclass, questionEnd };
  const rrCount = buf.readUInt16BE(6) + buf.readUInt16BE(8);
  const arCount = buf.readUInt16BE(10);
  if (rrCount === 0 && arCount === 0) return query;
  let off = questionEnd;
  for (let i = 0; i < rrCount + arCount; i++) {
    const [, end] = readName(buf, off, false);
    if (end + 10 > buf.length) throw new WireFormatError(`record ${i + 1} truncated`);
    const type = buf.readUInt16BE(end);
    const rdlen = buf.readUInt16BE(end + 8);
    if (end + 10 + rdlen > buf.length) throw new WireFormatError(`record ${i + 1} data truncated`);
    if (type === TYPE.OPT && i >= rrCount) {
      if (query.edns !== undefined) throw new WireFormatError('more than one OPT record');
      query.edns = { udpSize: buf.readUInt16BE(end + 2), version: buf[end + 5]!, flags: buf.readUInt16BE(end + 6) };
    }
    off = end + 10 + rdlen;
  }
  return query;
}

/** Reads a possibly compressed name; returns it and the offset after it in the original position. */
function readName(buf: Buffer, start: number, wantText = true): [string, number] {
  let off = start;
  let end = -1;
  let hops = 0;
  let text = '';
  let total = 0;
  for (;;) {
    if (off >= buf.length) throw new WireFormatError('name runs past the end of the message');
    const len = buf[off]!;
    if (len === 0) {
      if (end < 0) end = off + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (off + 1 >= buf.length) throw new WireFormatError('truncated compression pointer');
      if (++hops > MAX_POINTER_HOPS) throw new WireFormatError('compression pointer loop');
      if (end < 0) end = off + 2;
      off = ((len & 0x3f) << 8) | buf[off + 1]!;
      continue;
    }
    if (len & 0xc0) throw new WireFormatError(`unsupported label type 0x${len.toString(16)}`);
    if (off + 1 + len > buf.length) throw new WireFormatError('label runs past the end of the message');
    total += len + 1;
    if (total > 254) throw new WireFormatError('name longer than 255 bytes');
    if (wantText) text += (text === '' ? '' : '.') + labelText(buf, off + 1, off + 1 + len);
    off += 1 + len;
  }
  return [text === '' ? '.' : text, end];
}

/** Printable ASCII as is; `.` `\` and other bytes escaped as dig prints them (RFC 4343 2.1). */
function labelText(buf: Buffer, from: number, to: number): string {
  let plain = true;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c <= 0x20 || c >= 0x7f || c === 0x2e || c === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return buf.toString('latin1', from, to);
  let out = '';
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c === 0x2e || c === 0x5c) out += '\\' + String.fromCharCode(c);
    else if (c <= 0x20 || c >= 0x7f) out += '\\' + String(c).padStart(3, '0');
    else out += String.fromCharCode(c);
  }
  return out;
}
