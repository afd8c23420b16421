/*
 * Number formatting for verdict messages: fixed English style (comma
 * thousands separators) regardless of the machine's locale, so messages are
 * the same in CI logs everywhere.
 */

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** An integer count: 69120 -> "69,120". */
export function formatCount(n: number): string {
  return (n < 0 ? '-' : '') + groupThousands(String(Math.round(Math.abs(n))));
}

/**
 * A measured quantity to `significant` digits: 102_844.7 -> "102,800",
 * 0.13294 -> "0.1329", 0 -> "0", Infinity -> "infinity".
 */
export function formatValue(v: number, significant = 4): string {
  if (Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? 'infinity' : '-infinity';
  if (v === 0) return '0';
  const rounded = Number(v.toPrecision(significant));
  if (Math.abs(rounded) >= 1000) return formatCount(rounded);
  return String(rounded);
}

/** A duration in milliseconds as seconds with one decimal: 30000 -> "30.0 s". */
export function formatSeconds(ms: number): string {
  const [whole, tenths] = (ms / 1000).toFixed(1).split('.');
  return `${groupThousands(whole!)}.${tenths} s`;
}

/** "1 query", "24 queries". */
export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A duration as people say it (chart ticks, plans, starter scenarios): `0 s`, `45 s`, `2 min`, `1 min 30 s`, `2 h`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  return s % 3600 === 0 ? `${s / 3600} h` : `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
