import type { Endpoint } from '../util/endpoint.js';

/** Shapes fixed in docs/contracts.md ("DNS query records"): one per line in dns.jsonl. */

export interface DnsAnswerRecord {
  type: string;
  data: string;
  ttl: number;
}

export interface DnsResponseRecord {
  rcode: string;
  answers: readonly DnsAnswerRecord[];
  /** Smallest answer TTL, absent when no answers. */
  ttl?: number;
  /** The injected fault, if any. */
  fault?: string;
  truncated?: boolean;
}

export interface DnsQueryRecord {
  kind: 'dns-query';
  atMs: number;
  transport: 'udp' | 'tcp';
  client: Endpoint;
  /**
   * Where the guest sent the query (the lab DNATs every port 53 flow to the
   * recorder, so this is the resolver the firmware chose, e.g. a hard-coded
   * 8.8.8.8:53). Absent when the recorder has no `originalDestination` hook or
   * the hook could not tell.
   */
  resolver?: Endpoint;
  id: number;
  flags: number;
  /** Question name, lower-cased, no trailing dot. */
  name: string;
  nameAsSent: string;
  type: string;
  class: string;
  /** Absent when the query had no OPT record. */
  ednsUdpSize?: number;
  /** `match` of the rule that decided the answer; absent for the default sinkhole answer. */
  rule?: string;
  /** null: dropped on purpose (fault `drop`). */
  response: DnsResponseRecord | null;
  answerMs: number;
  /** `ipv6`: sent over IPv6, which the lab routes nowhere: read from wan.pcap after the run, never answered (`response` null). */
  blocked?: 'ipv6';
}

export interface MalformedDnsRecord {
  kind: 'dns-malformed';
  atMs: number;
  transport: 'udp' | 'tcp';
  client: Endpoint;
  bytesHex: string;
  error: string;
}

/** Everything the recorder writes: the in-memory log and dns.jsonl hold both kinds. */
export type DnsRecord = DnsQueryRecord | MalformedDnsRecord;
