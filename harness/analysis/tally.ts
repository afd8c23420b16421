/** How often each key occurs, most frequent first, ties in key order: the order of every "x N" list in reports. */
export function tally(keys: Iterable<string>): { readonly key: string; readonly count: number }[] {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}
