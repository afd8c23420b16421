import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { JSON_SCHEMA_DRAFT, scenarioJsonSchema, scenarioJsonSchemaText } from '../../../harness/scenario/scenario-json-schema.js';
import { schemaFile } from '../../../harness/scenario/write-schema.js';

describe('scenarios/schema.json', () => {
  it('is up to date with the TypeBox schema (run node dist/harness/scenario/write-schema.js)', async () => {
    const committed = await readFile(schemaFile(), 'utf8');
    expect(committed).to.equal(scenarioJsonSchemaText());
  });

  it('names its draft and title, and describes the step kinds for editors', () => {
    const schema = scenarioJsonSchema() as {
      $schema: string;
      title: string;
      properties: { steps: { items: { properties: Record<string, { description?: string }> } } };
    };
    expect(schema.$schema).to.equal(JSON_SCHEMA_DRAFT);
    expect(schema.title).to.equal('firmlab scenario');
    const kinds = schema.properties.steps.items.properties;
    expect(Object.keys(kinds)).to.include.members(['boot', 'login', 'set', 'observe', 'wait_for', 'fault']);
    for (const [kind, s] of Object.entries(kinds)) expect(s.description, kind).to.be.a('string').and.not.equal('');
  });
});
