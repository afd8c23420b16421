import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../paths.js';
import { scenarioJsonSchemaText } from './scenario-json-schema.js';

/**
 * Writes scenarios/schema.json from the TypeBox schema, so editors check and
 * complete scenario files (`# yaml-language-server: $schema=schema.json`).
 * A unit test fails when the committed file is stale: rerun this after any
 * schema change (`node dist/harness/scenario/write-schema.js`).
 */
export function schemaFile(): string {
  return join(projectRoot(), 'scenarios', 'schema.json');
}

export async function writeSchema(file = schemaFile()): Promise<string> {
  await writeFile(file, scenarioJsonSchemaText());
  return file;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeSchema().then(
    (file) => process.stdout.write(`wrote ${file}\n`),
    (e: unknown) => {
      process.stderr.write(`FIRMLAB_SCHEMA_WRITE: ${(e as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
