import type { DnsQueryRecord } from './dns-query-record.js';

/** Counts for `firmlab dns serve`: a per-second line and a summary at the end. */
export class ServeStats {
  private window = { queries: 0, faults: 0, malformed: 0, names: new Map<string, number>() };
  readonly total = { queries: 0, faults: 0, malformed: 0, names: new Map<string, number>() };

  addQuery(r: DnsQueryRecord): void {
    for (const s of [this.window, this.total]) {
      s.queries++;
      if (r.response === null || r.response.fault !== undefined) s.faults++;
      s.names.set(r.name, (s.names.get(r.name) ?? 0) + 1);
    }
  }

  addMalformed(): void {
    this.window.malformed++;
    this.total.malformed++;
  }

  /** The line for the second just ended; resets the window. Empty when nothing happened. */
  tick(): string {
    const w = this.window;
    this.window = { queries: 0, faults: 0, malformed: 0, names: new Map() };
    if (w.queries === 0 && w.malformed === 0) return '';
    return `${w.queries} q/s, ${w.faults} faulted, ${w.malformed} malformed; top: ${top(w.names, 3)}`;
  }

  summary(): string {
    const t = this.total;
    return `${t.queries} queries, ${t.faults} faulted, ${t.malformed} malformed, ${t.names.size} names; top: ${top(t.names, 10)}`;
  }
}

function top(names: Map<string, number>, n: number): string {
  const list = [...names].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
  return list.length === 0 ? '-' : list.map(([name, c]) => `${name} ${c}`).join(', ');
}
