import type { Endpoint } from '../util/endpoint.js';
import type { DnsQueryRecord, MalformedDnsRecord } from './dns-query-record.js';
import { MALFORMED_HEX_CAP } from './record-builder.js';
import { className, typeName } from './dns-wire-names.js';
import { parseWireQuery } from './dns-codec.js';

/** A DNS query the guest sent where the lab does not route (IPv6), read from the capture: nobody answered it. */
export interface BlockedQuery {
  atMs: number;
  transport: 'udp' | 'tcp';
  client: Endpoint;
  destination: Endpoint;
  payload: Buffer;
}

/**
 * The record of a blocked query, in the recorder's shape so analysis counts
 * it like any other (by name, with the resolver the guest chose); a payload
 * that is no query is kept as malformed, as the recorder would.
 */
export function blockedQueryRecord(q: BlockedQuery): DnsQueryRecord | MalformedDnsRecord {
  try {
    const w = parseWireQuery(q.payload);
    return {
      kind: 'dns-query', atMs: q.atMs, transport: q.transport, client: q.client, resolver: q.destination,
      id: w.id, flags: w.flags, name: w.nameAsSent.toLowerCase(), nameAsSent: w.nameAsSent,
      type: typeName(w.qtype), class: className(w.qclass), ednsUdpSize: w.edns?.udpSize,
      rule: undefined, response: null, answerMs: 0, blocked: 'ipv6',
    };
  } catch (e) {
    return {
      kind: 'dns-malformed', atMs: q.atMs, transport: q.transport, client: q.client,
      bytesHex: q.payload.subarray(0, MALFORMED_HEX_CAP).toString('hex'), error: (e as Error).message,
    };
  }
}
