import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { IssueDraft } from './ajv-issue.js';
import type { ScenarioIssue } from './scenario-errors.js';
import { displayPath, YamlLocator } from './yaml-locator.js';

/** A YAML file read into plain data, with the means to place an issue at its line and column. */
export interface YamlSource {
  data: unknown;
  locator: YamlLocator;
  place(draft: IssueDraft): ScenarioIssue;
}

/**
 * The first stage of every file firmlab reads (scenarios, `--rules` files):
 * YAML text to data, or its syntax errors located. `file` names the file in
 * issues as the caller wrote it.
 */
export function readYaml(text: string, file: string): { ok: true; source: YamlSource } | { ok: false; issues: ScenarioIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) return { ok: false, issues: doc.errors.map((e) => yamlIssue(e, file)) };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, issues: [{ file, line: 1, column: 1, path: '', message: `cannot read the YAML: ${(e as Error).message}` }] };
  }
  const locator = new YamlLocator(doc, lineCounter);
  const place = (d: IssueDraft): ScenarioIssue => {
    const { line, column } = locator.locate(d.path, d.at);
    const placed: ScenarioIssue = { file, line, column, path: displayPath(d.path), message: d.message };
    if (d.suggestion !== undefined) placed.suggestion = d.suggestion;
    return placed;
  };
  return { ok: true, source: { data, locator, place } };
}

/** A YAML syntax error: yaml's own position, and the first line of its message without the repeated position. */
function yamlIssue(e: YAMLError, file: string): ScenarioIssue {
  const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
  const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
  return { file, line: pos.line, column: pos.col, path: '', message: `YAML: ${message}` };
}
