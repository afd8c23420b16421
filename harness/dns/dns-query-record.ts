/** Shapes fixed in docs/contracts.md ("DNS query records"): one per line in dns.jsonl. */
export interface DnsEndpoint {
  address: string;
  port: number;
}

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
  client: DnsEndpoint;
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
}

export interface MalformedDnsRecord {
  kind: 'dns-malformed';
  atMs: number;
  transport: 'udp' | 'tcp';
  client: DnsEndpoint;
  bytesHex: string;
  error: string;
}

/** Everything the recorder writes: the in-memory log and dns.jsonl hold both kinds. */
export type DnsRecord = DnsQueryRecord | MalformedDnsRecord;
