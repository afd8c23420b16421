/**
 * Upstream DNS rules in the recorder's terms: the typed form of the one rule
 * shape that scenario files (`lab.upstream`, `fault` steps) and `--rules`
 * files write, `{ match, answer | fault, ttl, delay, fail_ratio }`
 * (harness/scenario/upstream-rule-schema.ts validates and converts it).
 */
export type DnsAnswerType = 'A' | 'AAAA' | 'CNAME' | 'TXT';
export const DNS_ANSWER_TYPES: readonly DnsAnswerType[] = ['A', 'AAAA', 'CNAME', 'TXT'];

export interface DnsAnswerSpec {
  type: DnsAnswerType;
  data: string;
}

/**
 * `drop`: no answer at all, the client times out. `truncate`: over UDP an
 * empty answer with the TC bit, so the client retries over TCP (answered
 * normally there). The rest are rcodes.
 */
export const DNS_FAULTS = ['nxdomain', 'servfail', 'refused', 'drop', 'truncate'] as const;
export type DnsFault = (typeof DNS_FAULTS)[number];

export interface DnsRule {
  /** Exact name (`fail.example`), wildcard (`*.safethings.avira.com`: any depth below, not the apex) or `*` (everything). */
  match: string;
  /** Empty: no explicit answer; queries the fault spares get the default sinkhole answer. */
  answers: DnsAnswerSpec[];
  /** Seconds; defaults to DEFAULT_RULE_TTL. */
  ttl?: number;
  fault?: DnsFault;
  /** The fault, or without one the normal answer, is sent after this long. */
  delayMs?: number;
  /** 0..1: the share of matching queries that get the fault and the delay (seeded); defaults to 1. */
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
