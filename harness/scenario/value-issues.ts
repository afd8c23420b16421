import { domainPatternProblem } from '../util/domain-pattern.js';
import type { IssueDraft } from './ajv-issue.js';
import type { PathSegment } from './yaml-locator.js';

/**
 * Checks of single values that a JSON Schema cannot make, shared by every
 * place a file writes such a value, so each is worded the same everywhere.
 */

/** `domain:`, `match:`, `wait_for: dns:`: the one grammar of harness/util/domain-pattern.ts. */
export function domainPatternIssues(source: string, path: PathSegment[]): IssueDraft[] {
  const problem = domainPatternProblem(source);
  if (problem === undefined) return [];
  return [{ path, at: 'value', message: `\`${source}\` is not a domain pattern (\`name.example\`, \`*.name.example\` or \`*\`): ${problem}` }];
}

/** A regular expression that must compile. */
export function regexIssues(source: string, path: PathSegment[]): IssueDraft[] {
  try {
    new RegExp(source);
    return [];
  } catch (e) {
    return [{ path, at: 'value', message: `is not a valid regular expression: ${(e as Error).message}` }];
  }
}
