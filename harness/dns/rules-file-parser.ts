import { isMap, isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { DnsRule } from './dns-rule.js';
import { fieldPath, RulesInvalidError, type LocatedRuleIssue } from './rules-invalid-error.js';
import { validateRules, type RuleIssue } from './rules-validator.js';

export type RulesFileResult = { ok: true; rules: DnsRule[] } | { ok: false; error: RulesInvalidError };

/**
 * Pure: the text of a `--rules` file (top-level `rules:` list) to typed rules,
 * or an error naming file, line and field.
 */
export function parseRulesText(text: string, file: string): RulesFileResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e): LocatedRuleIssue => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return { path: [], field: '', line, column: col, message: `YAML: ${e.message.split('\n')[0]}` };
    });
    return { ok: false, error: new RulesInvalidError(file, issues) };
  }
  const root: unknown = doc.toJS();
  if (root === null || typeof root !== 'object' || Array.isArray(root) || !('rules' in root)) {
    const issue: LocatedRuleIssue = { path: [], field: 'rules', line: 1, column: 1, message: 'expected a top-level "rules:" list' };
    return { ok: false, error: new RulesInvalidError(file, [issue]) };
  }
  const result = validateRules((root as { rules: unknown }).rules);
  if (result.ok) return result;
  const located = result.issues.map((issue) => locate(doc, lineCounter, ['rules', ...issue.path], issue));
  return { ok: false, error: new RulesInvalidError(file, located) };
}

/**
 * Maps an issue path to the deepest node that exists: an unknown key points at the
 * key itself, a missing one at the mapping that lacks it.
 */
export function locate(doc: Document, lineCounter: LineCounter, path: (string | number)[], issue: RuleIssue): LocatedRuleIssue {
  let offset = 0;
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      offset = node.range[0];
      const parent = n > 0 ? doc.getIn(path.slice(0, n - 1), true) : undefined;
      const key = path[n - 1];
      if (isMap(parent) && typeof key === 'string') {
        const pair = parent.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === key);
        if (pair && isNode(pair.key) && pair.key.range) offset = pair.key.range[0];
      }
      break;
    }
    const parent = n > 0 ? doc.getIn(path.slice(0, n - 1), true) : undefined;
    const key = path[n - 1];
    if (isMap(parent) && typeof key === 'string') {
      const pair = parent.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === key);
      if (pair && isNode(pair.key) && pair.key.range) {
        offset = pair.key.range[0];
        break;
      }
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return { ...issue, path, field: fieldPath(path), line, column: col };
}
