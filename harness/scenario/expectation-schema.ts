import { Type, type Static } from '@sinclair/typebox';
import type { Traffic } from '../analysis/index.js';
import { stringEnum } from './string-enum.js';

/**
 * Expectations as scenario files write them (snake_case). Two shapes, told
 * apart by `compare`: an if/then/else rather than an anyOf, so a mistake in
 * one shape is reported against that shape only. Each counts one kind of
 * traffic: `domain` (contacts by name: DNS queries, TLS SNI, HTTP Host) or
 * `egress` (what the sinkhole caught, by destination and first bytes).
 */
const domain = Type.String({
  minLength: 1,
  description: 'Name pattern: `*.safethings.avira.com` (any depth below), an exact name, or `*`. Counts DNS queries for it and TLS (SNI) or HTTP (Host) connections naming it, one contact each.',
});
const window = Type.String({ minLength: 1, description: 'An observe window, by its `as` name.' });

export const EgressFilterSchema = Type.Object(
  {
    address: Type.Optional(Type.String({ minLength: 1, description: 'Original destination: an address (`203.0.113.10`) or CIDR block (`203.0.113.0/24`, `2001:db8::/32`).' })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Destination port.' })),
    protocol: Type.Optional(stringEnum(['tcp', 'udp'] as const, { description: 'Transport.' })),
    sni: Type.Optional(Type.String({ minLength: 1, description: 'Name pattern the TLS ClientHello’s server name must match.' })),
    http_host: Type.Optional(Type.String({ minLength: 1, description: 'Name pattern the HTTP Host header (port left off) must match.' })),
  },
  { additionalProperties: false, minProperties: 1, description: 'Non-DNS egress the sinkhole recorded; every key given must match.' },
);

export const TRAFFIC_KEYS = ['domain', 'egress'] as const;
const egress = EgressFilterSchema;

export const WINDOW_ASSERTIONS = ['max_per_day', 'min_per_day', 'none', 'ttl_respected'] as const;
export const COMPARE_ASSERTIONS = ['new_at_most', 'at_least_times_fewer'] as const;

/** `0.2 x old` (also `0.2 * old`, `0.2 × old`), the readable form of `new_at_most: 0.2`. */
export const TIMES_OLD_PATTERN = '^\\s*(\\d+(?:\\.\\d+)?)\\s*[x*×]\\s*old\\s*$';

const exactlyOne = (keys: readonly string[]) => keys.map((k) => ({ required: [k] }));

export const WindowExpectationSchema = Type.Object(
  {
    build: Type.String({ minLength: 1, description: 'Build name: `old` or `new`.' }),
    window,
    domain: Type.Optional(domain),
    egress: Type.Optional(egress),
    max_per_day: Type.Optional(Type.Number({ minimum: 0, description: 'The rate’s 95% upper bound must be at most this many contacts a day.' })),
    min_per_day: Type.Optional(Type.Number({ minimum: 0, description: 'The rate’s 95% lower bound must be at least this many contacts a day (a positive control).' })),
    none: Type.Optional(Type.Literal(true, { description: 'No contact at all in the window.' })),
    ttl_respected: Type.Optional(Type.Literal(true, { description: 'No name queried again before its answer’s TTL ran out (DNS: needs `domain`).' })),
  },
  {
    additionalProperties: false,
    oneOf: exactlyOne(WINDOW_ASSERTIONS),
    allOf: [{ oneOf: exactlyOne(TRAFFIC_KEYS) }],
    dependencies: { ttl_respected: ['domain'] },
    description: 'What one build did in one window.',
  },
);

export const CompareExpectationSchema = Type.Object(
  {
    compare: Type.Object(
      { domain: Type.Optional(domain), egress: Type.Optional(egress), window },
      { additionalProperties: false, oneOf: exactlyOne(TRAFFIC_KEYS), description: 'Which traffic and window to compare between the old and the new build.' },
    ),
    new_at_most: Type.Optional(
      Type.Unsafe<number | string>({
        type: ['number', 'string'],
        minimum: 0,
        pattern: TIMES_OLD_PATTERN,
        description: 'The new build’s rate is at most this fraction of the old one’s: `0.2` or `0.2 x old`.',
        patternErrorMessage: 'must be a fraction such as 0.2 or "0.2 x old"',
      }),
    ),
    at_least_times_fewer: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'The new build makes at least this many times fewer contacts than the old.' })),
  },
  { additionalProperties: false, oneOf: exactlyOne(COMPARE_ASSERTIONS), description: 'The new build against the old one.' },
);

export type EgressFilterDocument = Static<typeof EgressFilterSchema>;
export type WindowExpectationDocument = Static<typeof WindowExpectationSchema>;
export type CompareExpectationDocument = Static<typeof CompareExpectationSchema>;
export type ExpectationDocument = WindowExpectationDocument | CompareExpectationDocument;

export const ExpectationSchema = Type.Unsafe<ExpectationDocument>({
  type: 'object',
  if: { required: ['compare'] },
  then: CompareExpectationSchema,
  else: WindowExpectationSchema,
  description: 'One expectation: `{ build, window, domain | egress, <assertion> }` or `{ compare: { domain | egress, window }, <ratio> }`.',
});

export function isCompare(e: ExpectationDocument): e is CompareExpectationDocument {
  return 'compare' in e;
}

/** `0.2` or `"0.2 x old"` -> 0.2, for a value the schema accepted. */
export function newAtMostFraction(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = new RegExp(TIMES_OLD_PATTERN).exec(value);
  if (m === null) throw new RangeError(`not a fraction of old: "${value}"`);
  return Number(m[1]);
}

/** `domain` or `egress` as the analysis counts it (camelCase), for a document the schema accepted (exactly one is given). */
export function toTraffic(doc: { domain?: string; egress?: EgressFilterDocument }): Traffic {
  if (doc.egress === undefined) return { domain: doc.domain ?? '' };
  const { address, port, protocol, sni, http_host: httpHost } = doc.egress;
  return {
    egress: {
      ...(address !== undefined && { address }),
      ...(port !== undefined && { port }),
      ...(protocol !== undefined && { protocol }),
      ...(sni !== undefined && { sni }),
      ...(httpHost !== undefined && { httpHost }),
    },
  };
}
