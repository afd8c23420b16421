import { ScenarioSchema } from './scenario-schema.js';

export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/**
 * The JSON Schema that both the loader validates with and
 * scenarios/schema.json holds (write-schema.ts), as plain JSON: TypeBox's
 * symbol keys dropped, `$schema` and `title` first for editors.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return { $schema: JSON_SCHEMA_DRAFT, title: 'firmlab scenario', ...plainJsonSchema(ScenarioSchema) };
}

/** A TypeBox schema as plain JSON, without its symbol keys. */
export function plainJsonSchema(schema: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

/** The text of scenarios/schema.json: stable key order, two-space indent, final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
