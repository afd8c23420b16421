import { DEFAULT_RULE_TTL, type DnsAnswerSpec, type DnsFault, type DnsRule } from './dns-rule.js';
import { durationMs as parseDurationMs } from '../util/duration.js';
import { isIPv4, isIPv6 } from './ip-address.js';

/** Where in the input a problem is: a path of keys/indices below the rules list, e.g. [2, 'fault']. */
export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

export type RulesValidation = { ok: true; rules: DnsRule[] } | { ok: false; issues: RuleIssue[] };

const RULE_KEYS = new Set(['match', 'answer', 'fault', 'ttl', 'fail_ratio']);
const SIMPLE_FAULTS = ['nxdomain', 'servfail', 'refused', 'drop', 'truncate'] as const;
const ANSWER_TYPES = ['A', 'AAAA', 'CNAME', 'TXT'] as const;
const NAME_RE = /^(\*|(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*)$/i;

/**
 * Validates plain data (from YAML or code) into typed rules. Pure and location-free:
 * callers map each issue's path to a file line (see rules-file-parser.ts).
 */
export function validateRules(value: unknown): RulesValidation {
  const issues: RuleIssue[] = [];
  if (!Array.isArray(value)) return { ok: false, issues: [{ path: [], message: 'expected a list of rules' }] };
  const rules: DnsRule[] = [];
  value.forEach((item, i) => {
    const rule = validateRule(item, i, issues);
    if (rule !== undefined) rules.push(rule);
  });
  return issues.length === 0 ? { ok: true, rules } : { ok: false, issues };
}

function validateRule(item: unknown, i: number, issues: RuleIssue[]): DnsRule | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    issues.push({ path: [i], message: 'expected a mapping like { match: "*.example.com", answer: 203.0.113.10 }' });
    return undefined;
  }
  const o = item as Record<string, unknown>;
  const before = issues.length;
  for (const key of Object.keys(o)) {
    if (!RULE_KEYS.has(key)) issues.push({ path: [i, key], message: `unknown field (expected ${[...RULE_KEYS].join(', ')})` });
  }
  const match = typeof o.match === 'string' ? o.match.trim().toLowerCase().replace(/\.$/, '') : undefined;
  if (o.match === undefined) issues.push({ path: [i], message: 'missing field "match"' });
  else if (match === undefined || !NAME_RE.test(match)) {
    issues.push({ path: [i, 'match'], message: `not a name or wildcard: ${JSON.stringify(o.match)}` });
  }
  if (o.answer === undefined && o.fault === undefined) {
    issues.push({ path: [i], message: 'a rule needs "answer" or "fault"' });
  }
  const answers = o.answer === undefined ? [] : validateAnswers(o.answer, [i, 'answer'], issues);
  const fault = o.fault === undefined ? undefined : validateFault(o.fault, [i, 'fault'], issues);
  let ttl: number | undefined;
  if (o.ttl !== undefined) {
    if (typeof o.ttl === 'number' && Number.isInteger(o.ttl) && o.ttl >= 0 && o.ttl <= 0x7fffffff) ttl = o.ttl;
    else issues.push({ path: [i, 'ttl'], message: `expected whole seconds 0..2147483647, got ${JSON.stringify(o.ttl)}` });
  }
  let failRatio: number | undefined;
  if (o.fail_ratio !== undefined) {
    if (typeof o.fail_ratio === 'number' && o.fail_ratio >= 0 && o.fail_ratio <= 1) failRatio = o.fail_ratio;
    else issues.push({ path: [i, 'fail_ratio'], message: `expected a number 0..1, got ${JSON.stringify(o.fail_ratio)}` });
    if (o.fault === undefined) issues.push({ path: [i, 'fail_ratio'], message: 'fail_ratio needs a "fault"' });
  }
  if (issues.length > before || match === undefined) return undefined;
  return {
    match,
    answers,
    ttl: ttl ?? (answers.length > 0 ? DEFAULT_RULE_TTL : undefined),
    ...(fault === undefined ? {} : { fault }),
    ...(failRatio === undefined ? {} : { failRatio }),
  };
}

function validateAnswers(value: unknown, path: (string | number)[], issues: RuleIssue[]): DnsAnswerSpec[] {
  const list = Array.isArray(value) ? value : [value];
  const out: DnsAnswerSpec[] = [];
  list.forEach((entry, j) => {
    const at = Array.isArray(value) ? [...path, j] : path;
    const spec = validateAnswer(entry, at, issues);
    if (spec !== undefined) out.push(spec);
  });
  if (list.length === 0) issues.push({ path, message: 'empty answer list' });
  return out;
}

function validateAnswer(entry: unknown, at: (string | number)[], issues: RuleIssue[]): DnsAnswerSpec | undefined {
  if (typeof entry === 'string') {
    if (isIPv4(entry)) return { type: 'A', data: entry };
    if (isIPv6(entry)) return { type: 'AAAA', data: entry };
    issues.push({ path: at, message: `"${entry}" is not an IPv4/IPv6 address; write { type: CNAME, data: ... } or { type: TXT, data: ... }` });
    return undefined;
  }
  if (entry === null || typeof entry !== 'object') {
    issues.push({ path: at, message: `expected an address or { type, data }, got ${JSON.stringify(entry)}` });
    return undefined;
  }
  const { type, data, ...rest } = entry as Record<string, unknown>;
  for (const key of Object.keys(rest)) issues.push({ path: [...at, key], message: 'unknown field (expected type, data)' });
  const t = typeof type === 'string' ? type.toUpperCase() : undefined;
  if (t === undefined || !(ANSWER_TYPES as readonly string[]).includes(t)) {
    issues.push({ path: [...at, 'type'], message: `expected one of ${ANSWER_TYPES.join(', ')}, got ${JSON.stringify(type)}` });
    return undefined;
  }
  if (typeof data !== 'string') {
    issues.push({ path: [...at, 'data'], message: 'expected a string' });
    return undefined;
  }
  const ok =
    t === 'A' ? isIPv4(data) : t === 'AAAA' ? isIPv6(data) : t === 'CNAME' ? NAME_RE.test(data.replace(/\.$/, '')) && !data.includes('*') : data.length <= 4000;
  if (!ok) {
    issues.push({ path: [...at, 'data'], message: `not valid ${t} data: ${JSON.stringify(data)}` });
    return undefined;
  }
  return { type: t as DnsAnswerSpec['type'], data: t === 'CNAME' ? data.toLowerCase().replace(/\.$/, '') : data };
}

function validateFault(value: unknown, path: (string | number)[], issues: RuleIssue[]): DnsFault | undefined {
  const expected = `expected one of ${SIMPLE_FAULTS.join(', ')} or { delay: 2s }`;
  if (typeof value === 'string') {
    const v = value.toLowerCase();
    if ((SIMPLE_FAULTS as readonly string[]).includes(v)) return { kind: v as (typeof SIMPLE_FAULTS)[number] };
    issues.push({ path, message: `unknown fault ${JSON.stringify(value)} (${expected})` });
    return undefined;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { delay, ...rest } = value as Record<string, unknown>;
    for (const key of Object.keys(rest)) issues.push({ path: [...path, key], message: `unknown field (${expected})` });
    const ms = parseDurationMs(delay);
    if (ms === undefined || ms > 600_000) {
      issues.push({ path: [...path, 'delay'], message: `expected a duration such as 2s or 500ms (at most 10m), got ${JSON.stringify(delay)}` });
      return undefined;
    }
    return Object.keys(rest).length === 0 ? { kind: 'delay', ms } : undefined;
  }
  issues.push({ path, message: expected });
  return undefined;
}
