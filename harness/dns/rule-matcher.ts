/**
 * Name matching for rules: `*` matches every name, `*.example.com` any name below
 * example.com at any depth (not example.com itself), anything else exactly.
 * Names are compared lower-cased without a trailing dot.
 */
export type NameMatcher = (name: string) => boolean;

export function compileMatcher(pattern: string): NameMatcher {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (p === '*') return () => true;
  if (p.startsWith('*.')) {
    const suffix = p.slice(1);
    return (name) => name.length > suffix.length && name.endsWith(suffix);
  }
  return (name) => name === p;
}

/** First match wins; -1 when no pattern matches. */
export function firstMatch(matchers: readonly NameMatcher[], name: string): number {
  for (let i = 0; i < matchers.length; i++) if (matchers[i]!(name)) return i;
  return -1;
}
