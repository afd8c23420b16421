import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_RULE_TTL, DNS_ANSWER_TYPES, DNS_FAULTS, type DnsAnswerSpec, type DnsAnswerType, type DnsRule } from '../dns/dns-rule.js';
import { domainNameProblem, normalizeName } from '../util/domain-pattern.js';
import { ipFamily } from '../util/ip-address.js';
import type { IssueDraft } from './ajv-issue.js';
import { durationSchema, parseDuration } from './duration.js';
import { stringEnum } from './string-enum.js';
import { domainPatternIssues } from './value-issues.js';
import type { PathSegment } from './yaml-locator.js';

/**
 * The one upstream DNS rule, as scenario files (`lab.upstream`, `fault`
 * steps) and `--rules` files (`rules:`) both write it:
 * `{ match, answer | fault, ttl, delay, fail_ratio }`. This file holds its
 * schema, the checks a schema cannot make, and its conversion to the
 * recorder's DnsRule; both loaders use all three.
 */

const ADDRESS_HINT = 'must be an IPv4 or IPv6 address such as 203.0.113.10 (a name is `{ type: CNAME, data: ... }`)';
/** Only the shape, for editors; ipFamily decides (300.1.1.1 has the shape of an address). */
const ADDRESS_SHAPE = '^[0-9A-Fa-f:.]+$';
const FAULT_HINT = `must be one of ${DNS_FAULTS.map((f) => `\`${f}\``).join(', ')} (a delay is its own key: \`delay: 2s\`)`;

/** A delayed query holds a slot in the recorder; longer than this is a mistake, not a test. */
export const MAX_DELAY_MS = 600_000;
const MAX_TXT_CHARS = 4000;

const AddressSchema = Type.String({ pattern: ADDRESS_SHAPE, patternErrorMessage: ADDRESS_HINT, description: 'An address: an A record for IPv4, AAAA for IPv6.' });

const TypedAnswerSchema = Type.Object(
  {
    type: stringEnum(DNS_ANSWER_TYPES, { description: 'Record type.' }),
    data: Type.String({ description: 'The address (A, AAAA), target name (CNAME) or text (TXT).' }),
  },
  { additionalProperties: false, errorMessage: 'must be an IPv4 or IPv6 address, or a mapping `{ type, data }`', description: 'One answer record of any type.' },
);

type OneAnswer = string | { type: DnsAnswerType; data: string };

// if/then/else rather than anyOf, so a mistake in one form is reported against that form only.
const OneAnswerSchema = Type.Unsafe<OneAnswer>({ if: { type: 'string' }, then: AddressSchema, else: TypedAnswerSchema });

const AnswerSchema = Type.Unsafe<OneAnswer | OneAnswer[]>({
  if: { type: 'array' },
  then: { type: 'array', minItems: 1, items: OneAnswerSchema },
  else: OneAnswerSchema,
  description: 'What to answer: an address (`203.0.113.10`, `2001:db8::10`), `{ type: A | AAAA | CNAME | TXT, data }`, or a list of these.',
});

export const UpstreamRuleSchema = Type.Object(
  {
    match: Type.String({
      minLength: 1,
      description: 'Name the rule applies to: `fail.example`, `*.safethings.avira.com` (any depth below, not the name itself) or `*` (everything). The first rule that matches decides.',
    }),
    answer: Type.Optional(AnswerSchema),
    fault: Type.Optional(stringEnum(DNS_FAULTS, {
      description: 'Answer with an error instead: an rcode, no answer at all (drop), or a truncated UDP answer (the answer then comes over TCP).',
      errorMessage: FAULT_HINT,
    })),
    ttl: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: `TTL of the answers in seconds (default ${DEFAULT_RULE_TTL}).` })),
    delay: Type.Optional(durationSchema('Send the fault, or without one the answer, this long after the query (at most 10m).')),
    fail_ratio: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'Share of matching queries (0..1) that get the fault and the delay; the rest get `answer` at once.' }),
    ),
  },
  {
    additionalProperties: false,
    // A rule needs something to do besides `match`.
    anyOf: [{ required: ['answer'] }, { required: ['fault'] }, { required: ['delay'] }],
    description: 'One upstream DNS rule: `{ match, answer | fault, ttl, delay, fail_ratio }`.',
  },
);

/** A rule as written. */
export type UpstreamRuleDocument = Static<typeof UpstreamRuleSchema>;

/** What the schema cannot say about a rule it accepted at `at`: names, addresses, and keys that make no sense together. */
export function upstreamRuleIssues(doc: UpstreamRuleDocument, at: readonly PathSegment[]): IssueDraft[] {
  const out: IssueDraft[] = [...domainPatternIssues(doc.match, [...at, 'match'])];
  const key = (k: string, message: string) => out.push({ path: [...at, k], at: 'key', message });
  if (doc.answer !== undefined) {
    const list = Array.isArray(doc.answer) ? doc.answer : [doc.answer];
    list.forEach((a, j) => out.push(...answerIssues(a, Array.isArray(doc.answer) ? [...at, 'answer', j] : [...at, 'answer'])));
  }
  if (doc.answer !== undefined && doc.fault !== undefined && doc.fault !== 'truncate' && doc.fail_ratio === undefined) {
    key('answer', '`answer` is never used: `fault` applies to every query unless `fail_ratio` spares some');
  }
  if (doc.delay !== undefined) {
    if (doc.fault === 'drop') key('delay', '`delay` means nothing beside `fault: drop`: a dropped query gets no answer');
    if (parseDuration(doc.delay) > MAX_DELAY_MS) out.push({ path: [...at, 'delay'], at: 'value', message: 'must be at most 10m' });
  }
  if (doc.fail_ratio !== undefined && doc.fault === undefined && doc.delay === undefined) key('fail_ratio', '`fail_ratio` needs `fault` or `delay` beside it');
  return out;
}

function answerIssues(a: OneAnswer, path: PathSegment[]): IssueDraft[] {
  if (typeof a === 'string') return ipFamily(a) === undefined ? [{ path, at: 'value', message: `${ADDRESS_HINT}, got "${a}"${octetHint(a)}` }] : [];
  const data = [...path, 'data'];
  const bad = (message: string): IssueDraft[] => [{ path: data, at: 'value', message }];
  switch (a.type) {
    case 'A':
      return ipFamily(a.data) === 4 ? [] : bad(`must be an IPv4 address such as 203.0.113.10, got "${a.data}"${octetHint(a.data)}`);
    case 'AAAA':
      return ipFamily(a.data) === 6 ? [] : bad(`must be an IPv6 address such as 2001:db8::10, got "${a.data}"`);
    case 'CNAME': {
      const problem = domainNameProblem(a.data);
      return problem === undefined ? [] : bad(`\`${a.data}\` is not a name: ${problem}`);
    }
    case 'TXT':
      return a.data.length <= MAX_TXT_CHARS ? [] : bad(`must be at most ${MAX_TXT_CHARS} characters, got ${a.data.length}`);
  }
}

/** `300.1.1.1` looks like an address; say why it is not one. */
function octetHint(text: string): string {
  return /^\d+(?:\.\d+){3}$/.test(text) ? ': each of the four numbers must be 0-255, without leading zeros' : '';
}

/** The recorder's rule for one the schema and upstreamRuleIssues accepted. */
export function toDnsRule(doc: UpstreamRuleDocument): DnsRule {
  const answers = doc.answer === undefined ? [] : (Array.isArray(doc.answer) ? doc.answer : [doc.answer]).map(toAnswer);
  const rule: DnsRule = { match: normalizeName(doc.match), answers, ttl: doc.ttl ?? DEFAULT_RULE_TTL };
  if (doc.fault !== undefined) rule.fault = doc.fault;
  if (doc.delay !== undefined) rule.delayMs = parseDuration(doc.delay);
  if (doc.fail_ratio !== undefined) rule.failRatio = doc.fail_ratio;
  return rule;
}

function toAnswer(a: OneAnswer): DnsAnswerSpec {
  if (typeof a === 'string') return { type: ipFamily(a) === 4 ? 'A' : 'AAAA', data: a };
  return { type: a.type, data: a.type === 'CNAME' ? normalizeName(a.data) : a.data };
}
