import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { IssueDraft } from './ajv-issue.js';
import { crossCheck } from './cross-check.js';
import type { Scenario } from './scenario.js';
import { ScenarioInvalidError, ScenarioNotFoundError, type ScenarioIssue } from './scenario-errors.js';
import { validateDocument } from './schema-validator.js';
import { toScenario } from './to-scenario.js';
import { displayPath, YamlLocator } from './yaml-locator.js';

export interface LoadOptions {
  /** Base for a relative `file`; injected so tests need no chdir. */
  cwd?: string;
}

/** Reads, validates and types a scenario file. Throws ScenarioNotFoundError or ScenarioInvalidError. */
export async function loadScenario(file: string, options: LoadOptions = {}): Promise<Scenario> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ScenarioNotFoundError(file, e);
  }
  return parseScenario(text, file, options);
}

/**
 * The pure part of loading: YAML text in, Scenario out. `file` names the
 * file in issues as the caller wrote it; firmware paths resolve against its
 * directory. Stops after the first stage that finds problems (YAML syntax,
 * schema, cross-checks), since later stages would only repeat them.
 */
export function parseScenario(text: string, file: string, options: LoadOptions = {}): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ScenarioInvalidError(doc.errors.map((e) => yamlIssue(e, file)));

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ScenarioInvalidError([{ file, line: 1, column: 1, path: '', message: `cannot read the YAML: ${(e as Error).message}` }]);
  }
  const locator = new YamlLocator(doc, lineCounter);
  const place = (d: IssueDraft): ScenarioIssue => {
    const { line, column } = locator.locate(d.path, d.at);
    const placed: ScenarioIssue = { file, line, column, path: displayPath(d.path), message: d.message };
    if (d.suggestion !== undefined) placed.suggestion = d.suggestion;
    return placed;
  };

  const checked = validateDocument(data);
  if (!checked.ok) throw new ScenarioInvalidError(checked.issues.map(place));
  const crossIssues = crossCheck(checked.doc);
  if (crossIssues.length > 0) throw new ScenarioInvalidError(crossIssues.map(place));

  const absolute = resolve(options.cwd ?? process.cwd(), file);
  return toScenario(checked.doc, absolute, (list, index) => locator.locate([list, index]).line);
}

/** A YAML syntax error: yaml's own position, and the first line of its message without the repeated position. */
function yamlIssue(e: YAMLError, file: string): ScenarioIssue {
  const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
  const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
  return { file, line: pos.line, column: pos.col, path: '', message: `YAML: ${message}` };
}
