import { Type, type Static } from '@sinclair/typebox';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DnsRule } from '../dns/dns-rule.js';
import type { LoadOptions } from './load-scenario.js';
import { RulesInvalidError, RulesNotFoundError } from './scenario-errors.js';
import { plainJsonSchema } from './scenario-json-schema.js';
import { schemaValidator } from './schema-validator.js';
import { toDnsRule, upstreamRuleIssues, UpstreamRuleSchema } from './upstream-rule-schema.js';
import { readYaml } from './yaml-source.js';

/**
 * A `--rules` file (`firmlab dns serve --rules FILE.yaml`): a top-level
 * `rules:` list of the same upstream rules a scenario's `lab.upstream` holds,
 * through the same schema, checks and issue wording.
 */
export const RulesFileSchema = Type.Object(
  { rules: Type.Array(UpstreamRuleSchema, { description: 'Upstream DNS rules, first match wins; names no rule matches get a sinkhole address.' }) },
  { additionalProperties: false, description: 'A firmlab DNS rules file.' },
);
type RulesFileDocument = Static<typeof RulesFileSchema>;

const validateRulesFile = schemaValidator<RulesFileDocument>(() => plainJsonSchema(RulesFileSchema), { upstream: 'rules' });

/** Reads, validates and types a rules file. Throws RulesNotFoundError or RulesInvalidError (FIRMLAB_RULES_INVALID). */
export async function loadRulesFile(file: string, options: LoadOptions = {}): Promise<DnsRule[]> {
  let text: string;
  try {
    text = await readFile(resolve(options.cwd ?? process.cwd(), file), 'utf8');
  } catch (e) {
    throw new RulesNotFoundError(file, e);
  }
  return parseRulesFile(text, file);
}

/** The pure part: YAML text in, the recorder's rules out; `file` names the file in issues. */
export function parseRulesFile(text: string, file: string): DnsRule[] {
  const read = readYaml(text, file);
  if (!read.ok) throw new RulesInvalidError(read.issues);
  const { data, place } = read.source;
  const checked = validateRulesFile(data);
  if (!checked.ok) throw new RulesInvalidError(checked.issues.map(place));
  const issues = checked.doc.rules.flatMap((r, i) => upstreamRuleIssues(r, ['rules', i]));
  if (issues.length > 0) throw new RulesInvalidError(issues.map(place));
  return checked.doc.rules.map(toDnsRule);
}
