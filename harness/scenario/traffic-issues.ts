import { addressBlockProblem } from '../util/address-block.js';
import type { IssueDraft } from './ajv-issue.js';
import type { EgressFilterDocument } from './expectation-schema.js';
import { domainPatternIssues } from './value-issues.js';
import type { PathSegment } from './yaml-locator.js';

/**
 * An expectation's `domain` or `egress` (under `compare:` too), checked where
 * the schema cannot: name patterns in the one grammar, addresses and CIDR
 * blocks that parse (`300.1.1.1`, `10.0.0.0/33` refused). `path` is the
 * mapping that holds them.
 */
export function trafficIssues(doc: { domain?: string; egress?: EgressFilterDocument }, path: PathSegment[]): IssueDraft[] {
  if (doc.domain !== undefined) return domainPatternIssues(doc.domain, [...path, 'domain']);
  const f = doc.egress;
  if (f === undefined) return [];
  const at = (key: string) => [...path, 'egress', key];
  const address = f.address === undefined ? undefined : addressBlockProblem(f.address);
  return [
    ...(address === undefined ? [] : [{ path: at('address'), at: 'value' as const, message: `is not an address or CIDR block: ${address}` }]),
    ...(f.sni === undefined ? [] : domainPatternIssues(f.sni, at('sni'))),
    ...(f.http_host === undefined ? [] : domainPatternIssues(f.http_host, at('http_host'))),
  ];
}
