import type { ErrorObject } from 'ajv';
import { nearest } from './nearest.js';
import { pointerSegments, type PathSegment } from './yaml-locator.js';

/** An ajv error turned into words for a person, not yet placed in the file. */
export interface IssueDraft {
  path: PathSegment[];
  at: 'value' | 'key';
  message: string;
  suggestion?: string;
}

type Schema = Record<string, unknown> & { properties?: Record<string, unknown>; errorMessage?: string; patternErrorMessage?: string };

/**
 * Top-level keys a file commonly writes in the wrong place, and where they
 * belong: `{ upstream: 'lab.upstream' }` ("it belongs under `lab:`"), or a
 * plain name (`{ upstream: 'rules' }`: "this file calls it `rules`").
 */
export type MovedKeys = Readonly<Record<string, string>>;

/**
 * Translates one ajv error (compiled with `verbose: true`, so it carries the
 * offending data and its schema). Returns undefined for errors that only
 * repeat another: an if/then's "must match then", and the per-branch
 * `required` errors of an exactly-one-of, which the oneOf error sums up.
 */
export function toIssueDraft(e: ErrorObject, moved: MovedKeys = {}): IssueDraft | undefined {
  const path = pointerSegments(e.instancePath);
  const parent = (e.parentSchema ?? {}) as Schema;
  const got = describe(e.data);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
      return undefined;
    case 'required':
      if (/\/(?:oneOf|anyOf)\/\d+\/required$/.test(e.schemaPath)) return undefined;
      return { path, at: 'value', message: `missing required key \`${String(p['missingProperty'])}\`` };
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const to = path.length === 0 ? moved[key] : undefined;
      if (to !== undefined) {
        const under = to.includes('.') ? to.slice(0, to.lastIndexOf('.')) : undefined;
        const where = under === undefined ? `this file calls it \`${to}\`` : `it belongs under \`${under}:\``;
        return { path: [key], at: 'key', message: `unknown key \`${key}\`: ${where}`, suggestion: to };
      }
      const allowed = Object.keys(parent.properties ?? {});
      return { path: [...path, key], at: 'key', message: `unknown key \`${key}\`; allowed: ${list(allowed)}`, suggestion: nearest(key, allowed) };
    }
    case 'oneOf':
    case 'anyOf':
      return exactlyOneOf(path, e, parent) ?? { path, at: 'value', message: e.message ?? 'is not valid' };
    case 'dependencies':
      return { path: [...path, String(p['property'])], at: 'key', message: `\`${String(p['property'])}\` needs \`${String(p['missingProperty'])}\` beside it` };
    case 'minProperties':
    case 'maxProperties': {
      const keys = Object.keys(parent.properties ?? {});
      const present = Object.keys((e.data ?? {}) as object);
      const howMany = parent.maxProperties === 1 ? 'exactly one' : 'at least one';
      const what = present.length === 0 ? 'is empty' : `has ${present.length} keys (${list(present)})`;
      return { path, at: 'value', message: `${what}; give ${howMany} of ${list(keys)}` };
    }
    case 'enum': {
      const allowed = (p['allowedValues'] as unknown[]).filter((v) => typeof v === 'string') as string[];
      const suggestion = typeof e.data === 'string' ? nearest(e.data, allowed) : undefined;
      return { path, at: 'value', message: `${parent.errorMessage ?? `must be one of ${list(allowed)}`}, got ${got}`, suggestion };
    }
    case 'pattern':
      return { path, at: 'value', message: `${parent.patternErrorMessage ?? parent.errorMessage ?? `must match ${String(p['pattern'])}`}, got ${got}` };
    case 'type':
      return { path, at: 'value', message: `${parent.errorMessage ?? `must be ${typeWords(p['type'])}`}, got ${got}` };
    case 'const':
      return { path, at: 'value', message: `must be ${JSON.stringify(p['allowedValue'])}, got ${got}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, at: 'value', message: `${parent.errorMessage ?? `must be ${String(p['comparison'])} ${String(p['limit'])}`}, got ${got}` };
    case 'minItems':
      return { path, at: 'value', message: Number(p['limit']) === 1 ? 'must not be empty' : `must have at least ${String(p['limit'])} items` };
    case 'minLength':
      return { path, at: 'value', message: 'must not be empty' };
    default:
      return { path, at: 'value', message: e.message ?? `fails ${e.keyword}` };
  }
}

/** oneOf/anyOf whose branches are each `{ required: [key] }`: "give exactly one of a, b". */
function exactlyOneOf(path: PathSegment[], e: ErrorObject, parent: Schema): IssueDraft | undefined {
  const branches = (e.keyword === 'oneOf' ? parent['oneOf'] : parent['anyOf']) as Record<string, unknown>[] | undefined;
  if (!Array.isArray(branches)) return undefined;
  const keys = branches.map((b) => (Object.keys(b).length === 1 && Array.isArray(b['required']) && b['required'].length === 1 ? String(b['required'][0]) : undefined));
  if (keys.some((k) => k === undefined) || typeof e.data !== 'object' || e.data === null) return undefined;
  // Key order of the parsed data is file order: point at the second one written.
  const present = Object.keys(e.data).filter((k) => keys.includes(k));
  if (present.length > 1) return { path: [...path, present[1]!], at: 'key', message: `${list(present)} exclude each other; give exactly one of ${list(keys as string[])}` };
  return { path, at: 'value', message: `needs ${e.keyword === 'oneOf' ? 'exactly' : 'at least'} one of ${list(keys as string[])}` };
}

function list(keys: readonly string[]): string {
  return keys.map((k) => `\`${k}\``).join(', ');
}

function typeWords(type: unknown): string {
  const words: Record<string, string> = {
    object: 'a mapping (key: value)',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    null: 'empty',
  };
  return String(type).split(',').map((t) => words[t] ?? t).join(' or ');
}

/** What the file held instead, briefly. */
export function describe(data: unknown): string {
  if (data === null || data === undefined) return 'nothing';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a mapping';
  if (typeof data === 'string') return JSON.stringify(data.length > 40 ? `${data.slice(0, 40)}…` : data);
  return String(data);
}
