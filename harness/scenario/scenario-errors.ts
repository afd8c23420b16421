import { FirmlabError } from '../errors.js';

/** One problem in a scenario file, located for humans and editors. */
export interface ScenarioIssue {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** `steps[2].observe.for`; empty for the document itself. */
  path: string;
  message: string;
  /** The nearest valid key or value, when the mistake looks like a typo. */
  suggestion?: string;
}

export function formatIssue(i: ScenarioIssue): string {
  const where = `${i.file}:${i.line}:${i.column}: ${i.path === '' ? '' : `${i.path}: `}`;
  return `${where}${i.message}${i.suggestion === undefined ? '' : ` (did you mean \`${i.suggestion}\`?)`}`;
}

/** Issues in file order, each once. */
export function sortIssues(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return [...issues]
    .sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path))
    .filter((i) => {
      const key = `${i.line}:${i.column}:${i.path}:${i.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}

/**
 * A YAML file firmlab reads (a scenario, a `--rules` file) parsed but is not
 * valid; every issue is listed, one per line, as `file:line:col: path: message`.
 */
export class SourceInvalidError extends FirmlabError {
  readonly issues: ScenarioIssue[];

  constructor(code: string, issues: readonly ScenarioIssue[]) {
    const sorted = sortIssues(issues);
    super(code, sorted.map(formatIssue).join('\n'), { exitKind: 'usage', details: { issues: sorted } });
    this.issues = sorted;
  }
}

/** The scenario file parsed but is not a valid scenario. */
export class ScenarioInvalidError extends SourceInvalidError {
  constructor(issues: readonly ScenarioIssue[]) {
    super('FIRMLAB_SCENARIO_INVALID', issues);
  }
}

/** A `--rules` file (`firmlab dns serve --rules FILE.yaml`) that is not a valid list of upstream rules. */
export class RulesInvalidError extends SourceInvalidError {
  constructor(issues: readonly ScenarioIssue[]) {
    super('FIRMLAB_RULES_INVALID', issues);
  }
}

/** A file firmlab was told to read cannot be read. */
export class SourceNotFoundError extends FirmlabError {
  readonly file: string;

  constructor(code: string, what: string, file: string, cause: unknown) {
    const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? String(cause);
    super(code, `cannot read ${what} ${file} (${reason})`, { cause, exitKind: 'usage', details: { file } });
    this.file = file;
  }
}

export class ScenarioNotFoundError extends SourceNotFoundError {
  constructor(file: string, cause: unknown) {
    super('FIRMLAB_SCENARIO_NOT_FOUND', 'scenario file', file, cause);
  }
}

export class RulesNotFoundError extends SourceNotFoundError {
  constructor(file: string, cause: unknown) {
    super('FIRMLAB_RULES_NOT_FOUND', 'rules file', file, cause);
  }
}
