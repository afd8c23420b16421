import { readFile } from 'node:fs/promises';
import type { DnsRule } from './dns-rule.js';
import { parseRulesText } from './rules-file-parser.js';

/** Reads and validates a `--rules` file; throws RulesInvalidError (FIRMLAB_RULES_INVALID). */
export async function loadRulesFile(file: string): Promise<DnsRule[]> {
  const result = parseRulesText(await readFile(file, 'utf8'), file);
  if (!result.ok) throw result.error;
  return result.rules;
}
