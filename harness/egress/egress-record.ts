import type { Endpoint } from '../util/endpoint.js';

/** Shape fixed in docs/contracts.md: one per line in egress.jsonl (the sinkhole). */
export interface EgressRecord {
  kind: 'egress';
  atMs: number;
  transport: 'tcp' | 'udp';
  client: Endpoint;
  /** The original destination when the lab could tell us; otherwise the sinkhole's own address. */
  destination: Endpoint;
  bytes: number;
  firstBytesHex: string;
  sni?: string;
  /** The HTTP/1.x Host header (as sent, port included) when the first bytes were a request. */
  httpHost?: string;
  durationMs: number;
  /** `ipv6`: the lab routes no IPv6, so this was read from wan.pcap after the run and nothing answered it. */
  blocked?: 'ipv6';
}
