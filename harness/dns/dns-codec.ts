import * as dnsPacket from 'dns-packet';

/**
 * The one door to dns-packet: a reference codec for tests, fuzzing and tools,
 * independent of the recorder's hand-written hot path.
 */
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
