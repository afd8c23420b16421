import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { crossCheck } from './cross-check.js';
import type { Scenario } from './scenario.js';
import { ScenarioInvalidError, ScenarioNotFoundError } from './scenario-errors.js';
import { validateDocument } from './schema-validator.js';
import { toScenario } from './to-scenario.js';
import { readYaml } from './yaml-source.js';

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
  const read = readYaml(text, file);
  if (!read.ok) throw new ScenarioInvalidError(read.issues);
  const { data, locator, place } = read.source;

  const checked = validateDocument(data);
  if (!checked.ok) throw new ScenarioInvalidError(checked.issues.map(place));
  const crossIssues = crossCheck(checked.doc);
  if (crossIssues.length > 0) throw new ScenarioInvalidError(crossIssues.map(place));

  const absolute = resolve(options.cwd ?? process.cwd(), file);
  const sha256 = createHash('sha256').update(text).digest('hex');
  return toScenario(checked.doc, absolute, sha256, (list, index) => locator.locate([list, index]).line);
}
