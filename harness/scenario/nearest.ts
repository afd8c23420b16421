/**
 * "Did you mean ...?" for unknown keys, build names, window names and enum
 * values: the candidate with the smallest Levenshtein distance, when it is
 * close enough to be a plausible typo rather than a different word.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // A third of the word (at least 1, at most 3 edits): `obsrve` -> `observe`,
  // but `foo` is not a typo of `boot` plus `reboot`.
  const limit = Math.min(3, Math.max(1, Math.floor(Math.max(w.length, 3) / 3)));
  return best !== undefined && bestDistance <= limit && best !== word ? best : undefined;
}

/** Edit distance (insertions, deletions, substitutions), two-row dynamic programming. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}
