import { Ajv, type ValidateFunction } from 'ajv';
import { toIssueDraft, type IssueDraft } from './ajv-issue.js';
import { scenarioJsonSchema } from './scenario-json-schema.js';
import type { ScenarioDocument } from './scenario-schema.js';

let compiled: ValidateFunction<ScenarioDocument> | undefined;

/** Ajv compiled once, on first use, from the same JSON Schema editors get. */
function validator(): ValidateFunction<ScenarioDocument> {
  if (compiled === undefined) {
    const ajv = new Ajv({
      allErrors: true, // report every problem in one go, not the first
      verbose: true, // errors carry the data and schema that ajv-issue.ts words them from
      allowUnionTypes: true, // durations are `string | number` in one node
      strictTypes: false, // `required`-only oneOf branches carry no `type`, by design
    });
    // Annotations editors read (VS Code and the YAML language server); ajv only needs to know them.
    ajv.addVocabulary(['errorMessage', 'patternErrorMessage']);
    compiled = ajv.compile<ScenarioDocument>(scenarioJsonSchema());
  }
  return compiled;
}

/** The document typed, or its schema problems in words (never an empty list), not yet placed in the file. */
export function validateDocument(data: unknown): { ok: true; doc: ScenarioDocument } | { ok: false; issues: IssueDraft[] } {
  const validate = validator();
  if (validate(data)) return { ok: true, doc: data };
  const errors = validate.errors ?? [];
  const issues = errors.map(toIssueDraft).filter((d): d is IssueDraft => d !== undefined);
  // Every error was a repeat of another (cannot happen today): still say something.
  if (issues.length === 0) issues.push({ path: [], at: 'value', message: errors.map((e) => `${e.instancePath} ${e.message}`).join('; ') || 'invalid' });
  return { ok: false, issues };
}
