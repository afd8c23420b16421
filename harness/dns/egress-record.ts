import type { DnsEndpoint } from './dns-query-record.js';

/** Shape fixed in docs/contracts.md: one per line in egress.jsonl (the sinkhole). */
export interface EgressRecord {
  kind: 'egress';
  atMs: number;
  transport: 'tcp' | 'udp';
  client: DnsEndpoint;
  /** The original destination when the lab could tell us; otherwise the sinkhole's own address. */
  destination: DnsEndpoint;
  bytes: number;
  firstBytesHex: string;
  sni?: string;
  /** Not in the contract yet: the HTTP/1.x Host header when the first bytes were a request. */
  httpHost?: string;
  durationMs: number;
}
