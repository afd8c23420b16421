import type { PlannedAnswer, ResponsePlan } from './answer-planner.js';
import type { Endpoint } from '../util/endpoint.js';
import type { DnsQueryRecord, DnsResponseRecord, MalformedDnsRecord } from './dns-query-record.js';
import { className, rcodeName, typeName } from './dns-wire-names.js';
import type { WireQuery } from './dns-codec.js';

/** Malformed packets are kept as hex up to this many bytes. */
export const MALFORMED_HEX_CAP = 512;

export interface QueryOutcome {
  plan: ResponsePlan;
  /** What was actually sent; undefined when the plan dropped the query. */
  sent?: { truncated: boolean; answers: readonly PlannedAnswer[] };
}

export function buildQueryRecord(
  query: WireQuery,
  /** The question name lower-cased (computed once by the caller for matching). */
  name: string,
  transport: 'udp' | 'tcp',
  client: Endpoint,
  atMs: number,
  outcome: QueryOutcome,
  answerMs: number,
): DnsQueryRecord {
  const { plan, sent } = outcome;
  const record: DnsQueryRecord = {
    kind: 'dns-query',
    atMs,
    transport,
    client,
    // Filled in by the recorder's originalDestination hook before the record is logged.
    resolver: undefined,
    id: query.id,
    flags: query.flags,
    name,
    nameAsSent: query.nameAsSent,
    type: typeName(query.qtype),
    class: className(query.qclass),
    // Always present (undefined when absent) so every record has one shape; JSON drops undefined.
    ednsUdpSize: query.edns?.udpSize,
    rule: plan.rule,
    response: sent === undefined ? null : responseRecord(plan, sent),
    answerMs,
  };
  return record;
}

// Plans are shared and frozen, so the response record built from one is too: every
// query answered by the same plan points at one frozen object (no per-query allocation).
const responses = new WeakMap<ResponsePlan, { full?: DnsResponseRecord; truncated?: DnsResponseRecord }>();

function responseRecord(plan: ResponsePlan, sent: NonNullable<QueryOutcome['sent']>): DnsResponseRecord {
  const key = sent.truncated ? 'truncated' : 'full';
  let cached = responses.get(plan);
  if (cached === undefined) responses.set(plan, (cached = {}));
  // What was sent is the plan's answers, or none when truncated; anything else is not cacheable.
  const cacheable = sent.answers === plan.answers || sent.answers.length === 0;
  const hit = cacheable ? cached[key] : undefined;
  if (hit !== undefined && hit.answers.length === sent.answers.length) return hit;
  const r: DnsResponseRecord = { rcode: rcodeName(plan.rcode), answers: Object.freeze(sent.answers.map((a) => a.view)) };
  if (sent.answers.length > 0) {
    let ttl = sent.answers[0]!.ttl;
    for (const a of sent.answers) if (a.ttl < ttl) ttl = a.ttl;
    r.ttl = ttl;
  }
  if (plan.fault !== undefined) r.fault = plan.fault;
  if (sent.truncated) r.truncated = true;
  Object.freeze(r);
  if (cacheable) cached[key] = r;
  return r;
}

export function buildMalformedRecord(
  bytes: Buffer,
  transport: 'udp' | 'tcp',
  client: Endpoint,
  atMs: number,
  error: string,
): MalformedDnsRecord {
  return { kind: 'dns-malformed', atMs, transport, client, bytesHex: bytes.subarray(0, MALFORMED_HEX_CAP).toString('hex'), error };
}
