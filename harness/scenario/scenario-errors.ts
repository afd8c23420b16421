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

/** The scenario file parsed but is not a valid scenario; every issue is listed, one per line. */
export class ScenarioInvalidError extends FirmlabError {
  readonly issues: ScenarioIssue[];

  constructor(issues: readonly ScenarioIssue[]) {
    const sorted = sortIssues(issues);
    super('FIRMLAB_SCENARIO_INVALID', sorted.map(formatIssue).join('\n'), { exitKind: 'usage', details: { issues: sorted } });
    this.issues = sorted;
  }
}

/** The scenario file cannot be read. */
export class ScenarioNotFoundError extends FirmlabError {
  readonly file: string;

  constructor(file: string, cause: unknown) {
    const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? String(cause);
    super('FIRMLAB_SCENARIO_NOT_FOUND', `cannot read scenario file ${file} (${reason})`, { cause, exitKind: 'usage', details: { file } });
    this.file = file;
  }
}
