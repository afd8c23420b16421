import { Ajv, type ValidateFunction } from 'ajv';
import { toIssueDraft, type IssueDraft, type MovedKeys } from './ajv-issue.js';
import { scenarioJsonSchema } from './scenario-json-schema.js';
import { MOVED_KEYS, type ScenarioDocument } from './scenario-schema.js';

export type Checked<T> = { ok: true; doc: T } | { ok: false; issues: IssueDraft[] };

/**
 * A validator for one JSON Schema, compiled once on first use: the document
 * typed, or its schema problems in words (never an empty list), not yet
 * placed in the file.
 */
export function schemaValidator<T>(schema: () => Record<string, unknown>, moved: MovedKeys = {}): (data: unknown) => Checked<T> {
  let compiled: ValidateFunction<T> | undefined;
  return (data) => {
    compiled ??= newAjv().compile<T>(schema());
    if (compiled(data)) return { ok: true, doc: data };
    const errors = compiled.errors ?? [];
    const issues = errors.map((e) => toIssueDraft(e, moved)).filter((d): d is IssueDraft => d !== undefined);
    // Every error was a repeat of another (cannot happen today): still say something.
    if (issues.length === 0) issues.push({ path: [], at: 'value', message: errors.map((e) => `${e.instancePath} ${e.message}`).join('; ') || 'invalid' });
    return { ok: false, issues };
  };
}

function newAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true, // report every problem in one go, not the first
    verbose: true, // errors carry the data and schema that ajv-issue.ts words them from
    allowUnionTypes: true, // durations are `string | number` in one node
    strictTypes: false, // `required`-only oneOf branches carry no `type`, by design
  });
  // Annotations editors read (VS Code and the YAML language server); ajv only needs to know them.
  ajv.addVocabulary(['errorMessage', 'patternErrorMessage']);
  return ajv;
}

/** The scenario file, against the same JSON Schema editors get (scenarios/schema.json). */
export const validateDocument = schemaValidator<ScenarioDocument>(scenarioJsonSchema, MOVED_KEYS);
