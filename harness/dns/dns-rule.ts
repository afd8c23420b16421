/**
 * Upstream DNS rules, one shape everywhere (scenario `upstream:`, `--rules` file):
 * `{ match, answer | fault, ttl, fail_ratio }`. This is the validated, typed form.
 */
export type DnsAnswerType = 'A' | 'AAAA' | 'CNAME' | 'TXT';

export interface DnsAnswerSpec {
  type: DnsAnswerType;
  data: string;
}

export type DnsFault =
  | { kind: 'nxdomain' }
  | { kind: 'servfail' }
  | { kind: 'refused' }
  /** No answer at all: the client times out. */
  | { kind: 'drop' }
  /** UDP: an empty answer with the TC bit, so the client retries over TCP (answered normally there). */
  | { kind: 'truncate' }
  /** The normal answer, sent after `ms`. */
  | { kind: 'delay'; ms: number };

export interface DnsRule {
  /** Exact name (`fail.example`), wildcard (`*.safethings.avira.com`: any depth below, not the apex) or `*` (everything). */
  match: string;
  /** Empty: no explicit answer; queries the fault spares get the default sinkhole answer. */
  answers: DnsAnswerSpec[];
  /** Seconds; defaults to DEFAULT_RULE_TTL. */
  ttl?: number;
  fault?: DnsFault;
  /** 0..1: the share of matching queries that get the fault (seeded); defaults to 1. */
  failRatio?: number;
}

export const DEFAULT_RULE_TTL = 300;

/** What every name no rule matches gets: documentation-range addresses (RFC 5737, RFC 3849). */
export interface SinkholeAnswer {
  a: string;
  aaaa: string;
  ttl: number;
}

export const DEFAULT_SINKHOLE: SinkholeAnswer = { a: '198.51.100.1', aaaa: '2001:db8::1', ttl: 30 };

export function faultName(fault: DnsFault): string {
  return fault.kind;
}
