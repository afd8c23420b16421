import { Type, type Static } from '@sinclair/typebox';
import { durationSchema, parseDuration } from './duration.js';
import { stringEnum } from './string-enum.js';

/**
 * Upstream DNS rules as scenario files write them (`lab.upstream`, a `fault`
 * step), one shape everywhere: `{ match, answer | fault, ttl }`. The DNS
 * recorder has its own rule type (harness/dns/dns-rule.ts); this file is the
 * one place to reconcile the two.
 */
export const UPSTREAM_FAULTS = ['nxdomain', 'servfail', 'refused', 'drop', 'truncate'] as const;
export type UpstreamFault = (typeof UPSTREAM_FAULTS)[number];

/** Used when a rule gives no `ttl`; the same default as the recorder's. */
export const DEFAULT_UPSTREAM_TTL_S = 300;

const IP_PATTERN = '^(?:\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$';

export const UpstreamRuleSchema = Type.Object(
  {
    match: Type.String({
      minLength: 1,
      description: 'Name the rule applies to: `fail.example`, `*.safethings.avira.com` (any depth below) or `*` (everything).',
    }),
    answer: Type.Optional(Type.String({
      pattern: IP_PATTERN,
      description: 'Address to answer with (A for IPv4, AAAA for IPv6). Use documentation ranges such as 203.0.113.0/24.',
      patternErrorMessage: 'must be an IPv4 or IPv6 address such as 203.0.113.10',
    })),
    fault: Type.Optional(stringEnum(UPSTREAM_FAULTS, { description: 'Answer with an error instead: an rcode, no answer at all (drop), or a truncated UDP answer.' })),
    ttl: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: `TTL in seconds (default ${DEFAULT_UPSTREAM_TTL_S}).` })),
    delay: Type.Optional(durationSchema('Wait this long before answering (or failing).')),
    fail_ratio: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'Share of matching queries (0..1) that get the fault; the rest get `answer`.' }),
    ),
  },
  {
    additionalProperties: false,
    // A rule needs something to do besides `match`.
    anyOf: [{ required: ['answer'] }, { required: ['fault'] }, { required: ['delay'] }],
    dependencies: { fail_ratio: ['fault'] },
    description: 'One upstream DNS rule: `{ match, answer | fault, ttl }`.',
  },
);

/** A rule as written. */
export type UpstreamRuleDocument = Static<typeof UpstreamRuleSchema>;

/** The typed rule handed to the lab and the recorder. */
export interface UpstreamRule {
  match: string;
  answer?: string;
  fault?: UpstreamFault;
  /** Seconds. */
  ttl: number;
  delayMs?: number;
  /** 0..1, share of matching queries that get `fault`; absent means all. */
  failRatio?: number;
}

export function toUpstreamRule(doc: UpstreamRuleDocument): UpstreamRule {
  const rule: UpstreamRule = { match: doc.match, ttl: doc.ttl ?? DEFAULT_UPSTREAM_TTL_S };
  if (doc.answer !== undefined) rule.answer = doc.answer;
  if (doc.fault !== undefined) rule.fault = doc.fault;
  if (doc.delay !== undefined) rule.delayMs = parseDuration(doc.delay);
  if (doc.fail_ratio !== undefined) rule.failRatio = doc.fail_ratio;
  return rule;
}

/** What the schema cannot say: an `answer` beside a `fault` is only used when `fail_ratio` spares some queries. */
export function upstreamRuleProblem(doc: UpstreamRuleDocument): { key: string; message: string } | undefined {
  if (doc.answer !== undefined && doc.fault !== undefined && doc.fail_ratio === undefined) {
    return { key: 'answer', message: '`answer` is never used: `fault` applies to every query unless `fail_ratio` spares some' };
  }
  return undefined;
}
