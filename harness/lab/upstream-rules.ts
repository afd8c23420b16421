import type { DnsRule } from '../dns/index.js';
import type { UpstreamRule } from '../scenario/index.js';

/**
 * A scenario's upstream rules in the recorder's terms. The two shapes differ
 * only in how they spell answers and delays; a `delay` beside a `fault` is
 * not expressible in the recorder (a delay is its own fault kind), so the
 * fault wins and the delay is reported back to the caller.
 */
export function toDnsRules(rules: readonly UpstreamRule[]): { rules: DnsRule[]; ignoredDelays: string[] } {
  const ignoredDelays: string[] = [];
  const out = rules.map((r): DnsRule => {
    const rule: DnsRule = {
      match: r.match,
      answers: r.answer === undefined ? [] : [{ type: r.answer.includes(':') ? 'AAAA' : 'A', data: r.answer }],
      ttl: r.ttl,
    };
    if (r.fault) {
      rule.fault = { kind: r.fault };
      if (r.delayMs !== undefined) ignoredDelays.push(r.match);
    } else if (r.delayMs !== undefined) {
      rule.fault = { kind: 'delay', ms: r.delayMs };
    }
    if (r.failRatio !== undefined) rule.failRatio = r.failRatio;
    return rule;
  });
  return { rules: out, ignoredDelays };
}
