import { FirmlabError } from '../errors.js';
import type { RuleIssue } from './rules-validator.js';

export interface LocatedRuleIssue extends RuleIssue {
  /** Dotted field path as written in the file, e.g. `rules[2].fault`. */
  field: string;
  line: number;
  column: number;
}

/** A rules file that cannot be used: names the file, line and field of each problem. */
export class RulesInvalidError extends FirmlabError {
  readonly file: string;
  readonly issues: LocatedRuleIssue[];

  constructor(file: string, issues: LocatedRuleIssue[]) {
    const lines = issues.map((i) => `${file}:${i.line}:${i.column}: ${i.field || '(top)'}: ${i.message}`);
    super('FIRMLAB_RULES_INVALID', lines.join('\n'), { exitKind: 'usage', details: { file, issues } });
    this.file = file;
    this.issues = issues;
  }
}

export function fieldPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
