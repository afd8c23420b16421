import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';

export type PathSegment = string | number;
export interface Position {
  line: number;
  column: number;
}

/**
 * Finds where a value (or its key) sits in the YAML source, so every error
 * can name a line and column. A path that leads nowhere (a missing key) is
 * placed at its deepest existing ancestor.
 */
export class YamlLocator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** `at: 'key'` points at the key of the last segment, e.g. an unknown key itself. */
  locate(path: readonly PathSegment[], at: 'value' | 'key' = 'value'): Position {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      let next: unknown;
      let keyOffset: number | undefined;
      if (isMap(node)) {
        const pair = (node.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair === undefined) break;
        keyOffset = rangeStart(pair.key);
        next = pair.value;
      } else if (isSeq(node)) {
        next = node.items[Number(seg)];
        if (next === undefined) break;
      } else {
        break;
      }
      const last = i === path.length - 1;
      const valueOffset = isEmptyScalar(next) ? undefined : rangeStart(next);
      if (last && at === 'key' && keyOffset !== undefined) return this.position(keyOffset);
      offset = valueOffset ?? keyOffset ?? offset;
      node = next;
    }
    return this.position(offset);
  }

  private position(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/** `boot:` with nothing after it: its null value has no text, so point at the key instead. */
function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && (node.source === '' || node.source === undefined);
}

/** `steps[2].observe.for` from path segments. */
export function displayPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Ajv's `instancePath` (a JSON pointer) as segments; array indexes become numbers. */
export function pointerSegments(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}
