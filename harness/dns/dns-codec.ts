import * as dnsPacket from 'dns-packet';
import type { PlannedAnswer } from './answer-planner.js';
import { TYPE } from './dns-wire-names.js';

/**
 * The one door to dns-packet, the project's DNS codec: the recorder decodes
 * every query and encodes every answer here, and tests and tools build and
 * read messages with the same library.
 *
 * Three small pieces read the wire themselves, for what dns-packet's API does
 * not give: the question's type and class as numbers (it names them
 * `UNKNOWN_n`, and writes an unknown class back as 0); the question section
 * echoed byte for byte in the reply; and, for the rare name whose labels hold
 * a dot or a byte outside printable ASCII (dns-packet reads labels as UTF-8
 * and joins them with dots, so such a name would not come back as sent), the
 * name as dig prints it (RFC 4343 2.1).
 */

/** Our EDNS UDP payload size (DNS flag day 2020), advertised in every OPT we send. */
export const SERVER_UDP_SIZE = 1232;
const CLASSIC_UDP_SIZE = 512;

/** The parts of a query the recorder needs (RFC 1035 4.1, RFC 6891 6.1). */
export interface WireQuery {
  id: number;
  flags: number;
  /** Question name in presentation form without trailing dot; `.` for the root. */
  nameAsSent: string;
  qtype: number;
  qclass: number;
  /** Present when the query carried an OPT record. */
  edns?: { udpSize: number; version: number; flags: number };
  /**
   * The question section as received. Echoed as is when the name cannot be
   * written back by dns-packet (`echoOnly`); the reply then has no answers.
   */
  question: Buffer;
  echoOnly: boolean;
}

export class WireFormatError extends Error {}

/**
 * Decodes one DNS query with dns-packet. Throws WireFormatError on anything a
 * resolver could not answer: short header, a response (QR set), not exactly
 * one question, bad names, records running past the end, more than one OPT.
 */
export function parseWireQuery(buf: Buffer): WireQuery {
  let p: dnsPacket.DecodedPacket;
  try {
    p = dnsPacket.decode(buf);
  } catch (e) {
    throw new WireFormatError(e instanceof Error ? e.message : String(e));
  }
  // dns-packet trusts a record's length field; a length past the end shows as more bytes read than there are.
  if (dnsPacket.decode.bytes > buf.length) throw new WireFormatError('a record runs past the end of the message');
  if (p.type === 'response') throw new WireFormatError('QR bit set: a response, not a query');
  const questions = p.questions ?? [];
  if (questions.length !== 1) throw new WireFormatError(`expected 1 question, got ${questions.length}`);
  const wire = questionWire(buf);
  const name = questions[0]!.name;
  const opts = (p.additionals ?? []).filter((a): a is dnsPacket.OptAnswer => a.type === 'OPT');
  if (opts.length > 1) throw new WireFormatError('more than one OPT record');
  const opt = opts[0];
  const plain = isPlain(name, wire.labels);
  return {
    id: p.id ?? 0,
    flags: buf.readUInt16BE(2),
    nameAsSent: plain ? name : escapedName(buf, wire.end - 4),
    qtype: buf.readUInt16BE(wire.end - 4),
    qclass: buf.readUInt16BE(wire.end - 2),
    ...(opt === undefined ? {} : { edns: { udpSize: opt.udpPayloadSize, version: opt.ednsVersion, flags: opt.flags } }),
    question: buf.subarray(12, wire.end),
    echoOnly: !plain,
  };
}

/** Where the (already decoded) question ends and how many labels its name has. */
function questionWire(buf: Buffer): { end: number; labels: number } {
  let off = 12;
  let labels = 0;
  for (let len = buf[off]!; len !== 0; len = buf[off]!) {
    // A pointer could only point into the header: no name a resolver could answer.
    if (len & 0xc0) throw new WireFormatError('the question name is compressed');
    labels++;
    off += 1 + len;
  }
  return { end: off + 1 + 4, labels };
}

/** True when dns-packet's text for the name encodes back to the bytes that were sent. */
function isPlain(name: string, labels: number): boolean {
  if (name === '.') return labels === 0;
  let dots = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e) dots++;
    else if (c <= 0x20 || c >= 0x7f || c === 0x5c) return false;
  }
  return dots + 1 === labels;
}

/** The question name with `.`, `\` and unprintable bytes escaped as dig prints them. */
function escapedName(buf: Buffer, end: number): string {
  const labels: string[] = [];
  for (let off = 12; off < end - 1; off += 1 + buf[off]!) {
    let text = '';
    for (const c of buf.subarray(off + 1, off + 1 + buf[off]!)) {
      if (c === 0x2e || c === 0x5c) text += '\\' + String.fromCharCode(c);
      else if (c <= 0x20 || c >= 0x7f) text += '\\' + String(c).padStart(3, '0');
      else text += String.fromCharCode(c);
    }
    labels.push(text);
  }
  return labels.length === 0 ? '.' : labels.join('.');
}

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
const AA = dnsPacket.AUTHORITATIVE_ANSWER;
const RA = dnsPacket.RECURSION_AVAILABLE;
const TC = dnsPacket.TRUNCATED_RESPONSE;
/** Opcode, RD and CD are copied from the query (RFC 1035 4.1.1, RFC 4035 3.2.2). */
const COPIED_FLAGS = 0x7800 | dnsPacket.RECURSION_DESIRED | dnsPacket.CHECKING_DISABLED;

/** Largest UDP reply the client accepts: 512 without EDNS (RFC 1035 4.2.1), else its size within [512, ours]. */
export function udpLimit(query: WireQuery): number {
  if (query.edns === undefined) return CLASSIC_UDP_SIZE;
  return Math.min(SERVER_UDP_SIZE, Math.max(CLASSIC_UDP_SIZE, query.edns.udpSize));
}

/**
 * The reply, encoded by dns-packet: the question as the query had it (case
 * kept, so 0x20 randomisation checks out), the planned answers owned by the
 * question name or the last CNAME target, and an OPT when the query had one.
 * Over UDP an answer too large for the client goes as TC with no answers.
 */
export function encodeResponse(query: WireQuery, o: EncodeOptions): EncodedResponse {
  const udp = o.transport === 'udp';
  let truncated = o.truncate === true && udp;
  let answers = truncated || query.echoOnly ? NONE : o.answers;
  let bytes = encodeReply(query, o.rcode, answers, truncated);
  if (udp && bytes.length > udpLimit(query)) {
    truncated = true;
    answers = NONE;
    bytes = encodeReply(query, o.rcode, answers, truncated);
  }
  return { bytes: udp ? bytes : withLengthPrefix(bytes), truncated, answers };
}

function encodeReply(query: WireQuery, rcode: number, planned: readonly PlannedAnswer[], truncated: boolean): Buffer {
  const answers: dnsPacket.Answer[] = [];
  let owner = query.nameAsSent;
  for (const a of planned) {
    answers.push({ name: owner, ...a.record } as dnsPacket.Answer);
    if (a.typeCode === TYPE.CNAME) owner = a.record.data as string;
  }
  const bytes = dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags: (query.flags & COPIED_FLAGS) | AA | RA | (truncated ? TC : 0) | (rcode & 0xf),
    answers,
    additionals: query.edns === undefined ? [] : [
      // RFC 6891 6.1.3: the extended rcode's upper 8 bits.
      { type: 'OPT', name: '.', udpPayloadSize: SERVER_UDP_SIZE, extendedRcode: (rcode >> 4) & 0xff, ednsVersion: 0, flags: 0, flag_do: false, options: [] },
    ],
  });
  // The question goes back byte for byte as it came (dns-packet would write an unknown class as 0,
  // and could not write every name); the answers follow it.
  const out = Buffer.allocUnsafe(bytes.length + query.question.length);
  bytes.copy(out, 0, 0, 12);
  out.writeUInt16BE(1, 4);
  query.question.copy(out, 12);
  bytes.copy(out, 12 + query.question.length, 12);
  return out;
}

function withLengthPrefix(message: Buffer): Buffer {
  const out = Buffer.allocUnsafe(2 + message.length);
  out.writeUInt16BE(message.length, 0);
  message.copy(out, 2);
  return out;
}

/** FORMERR for a message we could not parse but whose header is a query (RFC 1035 4.1.1). */
export function encodeFormErr(raw: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined {
  if (raw.length < 12 || raw[2]! & 0x80) return undefined;
  const bytes = dnsPacket.encode({ type: 'response', id: raw.readUInt16BE(0), flags: (raw.readUInt16BE(2) & 0x7900) | RA | 1 });
  return transport === 'tcp' ? withLengthPrefix(bytes) : bytes;
}

/** A query for tests and tools. */
export interface QuerySpec {
  id?: number;
  name: string;
  type?: string;
  /** Include an OPT record advertising this UDP size. */
  ednsUdpSize?: number;
  recursionDesired?: boolean;
}

export interface DecodedMessage {
  id: number;
  rcode: string;
  isResponse: boolean;
  truncated: boolean;
  authoritative: boolean;
  questions: { name: string; type: string; class: string }[];
  answers: { name: string; type: string; data: string; ttl: number }[];
  ednsUdpSize?: number;
  /** Extended rcode bits from OPT (RFC 6891 6.1.3), 0 when absent. */
  extendedRcode: number;
}

export function encodeQuery(q: QuerySpec): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: q.id ?? 0,
    flags: q.recursionDesired === false ? 0 : dnsPacket.RECURSION_DESIRED,
    questions: [{ type: (q.type ?? 'A') as dnsPacket.RecordType, name: q.name, class: 'IN' }],
    additionals: q.ednsUdpSize === undefined ? [] : [{ type: 'OPT', name: '.', udpPayloadSize: q.ednsUdpSize } as dnsPacket.Answer],
  });
}

export function decodeMessage(bytes: Buffer): DecodedMessage {
  const p = dnsPacket.decode(bytes);
  const opt = (p.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize?: number; extendedRcode?: number } | undefined;
  const flags = p.flags ?? 0;
  return {
    id: p.id ?? 0,
    rcode: (p as { rcode?: string }).rcode ?? 'NOERROR',
    isResponse: p.type === 'response',
    truncated: (flags & dnsPacket.TRUNCATED_RESPONSE) !== 0,
    authoritative: (flags & dnsPacket.AUTHORITATIVE_ANSWER) !== 0,
    questions: (p.questions ?? []).map((q) => ({ name: q.name, type: q.type, class: q.class ?? 'IN' })),
    answers: (p.answers ?? []).map((a) => ({
      name: a.name,
      type: a.type,
      data: dataText((a as { data?: unknown }).data),
      ttl: (a as { ttl?: number }).ttl ?? 0,
    })),
    ...(opt === undefined ? {} : { ednsUdpSize: opt.udpPayloadSize }),
    extendedRcode: opt?.extendedRcode ?? 0,
  };
}

function dataText(data: unknown): string {
  if (Array.isArray(data)) return data.map((d) => dataText(d)).join('');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return String(data);
}
