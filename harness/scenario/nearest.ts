/**
 * "Did you mean ...?" for unknown keys, build names, window names and enum
 * values: the candidate with the smallest edit distance, when it is close
 * enough to be a plausible typo rather than a different word.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // A third of the word (at least 1, at most 3 edits): `obsrve` -> `observe`,
  // but `foo` is not a typo of `boot`.
  const limit = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  return best !== undefined && bestDistance <= limit && best !== word ? best : undefined;
}

/**
 * Levenshtein distance (insertions, deletions, substitutions) that also counts
 * swapping two adjacent letters as one edit (optimal string alignment), the
 * commonest typo: `arm46` is one edit from `arm64`.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j]!, before[j - 2]! + 1);
    }
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length]!;
}
