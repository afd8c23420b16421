import type { DnsAnswerRecord } from './dns-query-record.js';
import { DEFAULT_SINKHOLE, type DnsAnswerSpec, type DnsRule, type SinkholeAnswer } from './dns-rule.js';
import { CLASS_ANY, CLASS_IN, RCODE, TYPE } from './dns-wire-names.js';
import { DomainPattern } from '../util/domain-pattern.js';
import ipaddr from 'ipaddr.js';
import { hashString, seededRandom } from './seeded-random.js';

/** One answer record ready for dns-packet (all but its owner name), with its record view shared by every query that gets it. */
export interface PlannedAnswer {
  typeCode: number;
  ttl: number;
  record: { type: DnsAnswerSpec['type']; class: 'IN'; ttl: number; data: string | Buffer[] };
  view: DnsAnswerRecord;
}

/** name + type -> what to send. Plans are built once per rule and type and shared (treat as frozen). */
export interface ResponsePlan {
  action: 'answer' | 'drop';
  rcode: number;
  answers: readonly PlannedAnswer[];
  /** `match` of the deciding rule; absent for the default sinkhole answer. */
  rule?: string;
  fault?: string;
  delayMs: number;
  /** UDP only: reply with TC set and no answers. */
  truncate: boolean;
}

export interface PlanQuestion {
  name: string;
  qtype: number;
  qclass: number;
  opcode: number;
  ednsVersion?: number;
  transport: 'udp' | 'tcp';
}

export interface PlannerOptions {
  /** Seeds the per-rule streams that decide which queries a fail_ratio fault hits. */
  seed?: number;
  sinkhole?: SinkholeAnswer;
}

interface CompiledRule {
  rule: DnsRule;
  answers: PlannedAnswer[];
  normal: Map<number, ResponsePlan>;
  /** What a query the rule hits gets; undefined: the normal answer, delayed. */
  faulted: ResponsePlan | undefined;
  /** A fault or a delay for the queries the rule hits (all, or `failRatio` of them). */
  hits: boolean;
  draw: () => number;
}

const NO_ANSWERS: readonly PlannedAnswer[] = Object.freeze([]);
const fixedPlan = (rcode: number): ResponsePlan =>
  Object.freeze({ action: 'answer', rcode, answers: NO_ANSWERS, delayMs: 0, truncate: false });
const NOTIMP = fixedPlan(RCODE.NOTIMP);
const REFUSED = fixedPlan(RCODE.REFUSED);
const BADVERS = fixedPlan(RCODE.BADVERS);

/** The pure core of the recorder: rules in, a response plan per question out. */
export class AnswerPlanner {
  private readonly patterns: DomainPattern[];
  private readonly compiled: CompiledRule[];
  private readonly fallback: CompiledRule;

  constructor(rules: readonly DnsRule[], options: PlannerOptions = {}) {
    const seed = options.seed ?? 1;
    const sink = options.sinkhole ?? DEFAULT_SINKHOLE;
    const sinkAnswers = [planAnswer({ type: 'A', data: sink.a }, sink.ttl), planAnswer({ type: 'AAAA', data: sink.aaaa }, sink.ttl)];
    this.patterns = rules.map((r) => DomainPattern.parse(r.match));
    const seen = new Map<string, number>();
    this.compiled = rules.map((rule) => {
      const ttl = rule.ttl ?? sink.ttl;
      const answers = rule.answers.length > 0 ? rule.answers.map((a) => planAnswer(a, ttl)) : sinkAnswers;
      // One stream per rule, keyed by its pattern: adding or reordering other rules leaves it alone.
      const nth = (seen.get(rule.match) ?? 0) + 1;
      seen.set(rule.match, nth);
      return compile(rule, answers, seededRandom(hashString(`${rule.match}#${nth}`, seed)));
    });
    this.fallback = compile({ match: '*', answers: [] }, sinkAnswers, () => 1);
  }

  plan(q: PlanQuestion): ResponsePlan {
    if (q.opcode !== 0) return NOTIMP;
    if (q.ednsVersion !== undefined && q.ednsVersion > 0) return BADVERS;
    if (q.qclass !== CLASS_IN && q.qclass !== CLASS_ANY) return REFUSED;
    const i = this.firstMatch(q.name);
    const c = i < 0 ? this.fallback : this.compiled[i]!;
    if (c.hits) {
      // Over TCP a truncate rule answers normally (the point of TC); only its delay, if any, still applies.
      const tcpTruncate = c.rule.fault === 'truncate' && q.transport === 'tcp';
      if (!tcpTruncate || c.rule.delayMs !== undefined) {
        const ratio = c.rule.failRatio ?? 1;
        if (ratio >= 1 || c.draw() < ratio) return c.faulted !== undefined && !tcpTruncate ? c.faulted : this.delayed(c, q.qtype);
      }
    }
    return normalPlan(c, q.qtype, i < 0 ? undefined : c.rule.match);
  }

  /** First match wins; `name` is lower case without a trailing dot, as the recorder has it. */
  private firstMatch(name: string): number {
    const patterns = this.patterns;
    for (let i = 0; i < patterns.length; i++) if (patterns[i]!.matchesNormalized(name)) return i;
    return -1;
  }

  private delayed(c: CompiledRule, qtype: number): ResponsePlan {
    const key = -1 - qtype;
    let plan = c.normal.get(key);
    if (plan === undefined) {
      const base = normalPlan(c, qtype, c.rule.match);
      plan = Object.freeze({ ...base, fault: 'delay', delayMs: c.rule.delayMs ?? 0 });
      c.normal.set(key, plan);
    }
    return plan;
  }
}

function compile(rule: DnsRule, answers: PlannedAnswer[], draw: () => number): CompiledRule {
  const f = rule.fault;
  let faulted: ResponsePlan | undefined;
  if (f !== undefined) {
    const base = { answers: NO_ANSWERS, rule: rule.match, fault: f, delayMs: rule.delayMs ?? 0, truncate: false };
    if (f === 'drop') faulted = { ...base, action: 'drop', rcode: RCODE.NOERROR };
    else if (f === 'truncate') faulted = { ...base, action: 'answer', rcode: RCODE.NOERROR, truncate: true };
    else faulted = { ...base, action: 'answer', rcode: f === 'nxdomain' ? RCODE.NXDOMAIN : f === 'servfail' ? RCODE.SERVFAIL : RCODE.REFUSED };
    Object.freeze(faulted);
  }
  return { rule, answers, normal: new Map(), faulted, hits: f !== undefined || rule.delayMs !== undefined, draw };
}

function normalPlan(c: CompiledRule, qtype: number, rule: string | undefined): ResponsePlan {
  let plan = c.normal.get(qtype);
  if (plan === undefined) {
    const cnames = c.answers.filter((a) => a.typeCode === TYPE.CNAME);
    const rest = qtype === TYPE.CNAME ? [] : c.answers.filter((a) => a.typeCode !== TYPE.CNAME && (a.typeCode === qtype || qtype === TYPE.ANY));
    const answers = Object.freeze([...cnames, ...rest]);
    plan = Object.freeze({ action: 'answer', rcode: RCODE.NOERROR, answers, delayMs: 0, truncate: false, ...(rule === undefined ? {} : { rule }) });
    c.normal.set(qtype, plan);
  }
  return plan;
}

export function planAnswer(spec: DnsAnswerSpec, ttl: number): PlannedAnswer {
  // AAAA data is recorded in RFC 5952 form, whatever shorthand the rule used; the schema checked it is an address.
  const data = spec.type === 'AAAA' ? ipaddr.IPv6.parse(spec.data).toRFC5952String() : spec.data;
  const record = Object.freeze({ type: spec.type, class: 'IN' as const, ttl, data: spec.type === 'TXT' ? txtStrings(spec.data) : data });
  return Object.freeze({ typeCode: TYPE[spec.type], ttl, record, view: Object.freeze({ type: spec.type, data, ttl }) });
}

/** RFC 1035 3.3.14: character-strings of at most 255 bytes each (dns-packet writes each as given). */
function txtStrings(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i === 0 || i < bytes.length; i += 255) parts.push(bytes.subarray(i, i + 255));
  return parts;
}
