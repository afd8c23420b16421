export type { DnsQueryRecord, MalformedDnsRecord, DnsRecord, DnsAnswerRecord, DnsResponseRecord } from './dns-query-record.js';
export {
  DEFAULT_SINKHOLE, DEFAULT_RULE_TTL, DNS_FAULTS, DNS_ANSWER_TYPES,
  type DnsRule, type DnsFault, type DnsAnswerSpec, type DnsAnswerType, type SinkholeAnswer,
} from './dns-rule.js';
export { AnswerPlanner, type ResponsePlan } from './answer-planner.js';
export { DnsRecorder, type DnsRecorderOptions, type DnsRecorderEvents } from './dns-recorder.js';
export { blockedQueryRecord, type BlockedQuery } from './blocked-query.js';
