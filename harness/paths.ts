import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

let root: string | undefined;

/**
 * The project's root: where `images/`, `scenarios/` and `build/` live. Code
 * runs from dist/harness/... (or harness/... under a TS loader), so walk up
 * to firmlab's own package.json.
 */
export function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'firmlab') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('firmlab: cannot find the project root (package.json named firmlab)');
    dir = up;
  }
}

export function imagesDir(): string {
  return join(projectRoot(), 'images');
}

/** firmlab's version (package.json), which shards of one run must share. */
export function harnessVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
