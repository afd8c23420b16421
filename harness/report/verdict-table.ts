import {
  describeExpectation, describeTraffic, formatCount, formatValue, isCompareExpectation, sourceKey, trafficOf, type Verdict,
} from '../analysis/index.js';

export interface TableRow {
  build: string;
  window: string;
  traffic: string;
  contacts: string;
  perDay: string;
  expectation: string;
  verdict: string;
}

/** One row per expectation with the numbers behind its verdict. */
export function verdictRows(verdicts: readonly Verdict[]): TableRow[] {
  return verdicts.map((v) => {
    const e = v.expectation;
    const m = v.measured;
    const cmp = isCompareExpectation(e);
    const build = cmp ? `${e.compare.new ?? 'new'} vs ${e.compare.old ?? 'old'}` : e.build;
    const contacts = cmp
      ? `${fmt(m.newCount)}${split(m, 'new')} vs ${fmt(m.oldCount)}${split(m, 'old')}`
      : `${fmt(m.count ?? m.ttlChecked)}${split(m)}`;
    // A passing `none` has no rate, but its window bounds one: say how far ("0 in 30.0 s: below 8,628/day at 95%").
    const perDay = v.bound !== undefined ? v.bound
      : m.ratePerDay !== undefined
        ? `${formatValue(m.ratePerDay)} (${formatValue(m.ci95LowerPerDay ?? NaN)}-${formatValue(m.ci95UpperPerDay ?? NaN)})`
      : m.ratio !== undefined ? `ratio ${formatValue(m.ratio)} (${formatValue(m.ratioLower ?? NaN)}-${formatValue(m.ratioUpper ?? NaN)})` : '';
    return {
      build, window: cmp ? e.compare.window : e.window, traffic: describeTraffic(trafficOf(e)),
      contacts, perDay, expectation: describeExpectation(e).replace(/^.*: /, ''), verdict: v.status,
    };
  });
}

export const TABLE_HEADERS: Record<keyof TableRow, string> = {
  build: 'build', window: 'window', traffic: 'traffic', contacts: 'contacts',
  perDay: 'per day (95% CI)', expectation: 'expectation', verdict: 'verdict',
};

export function renderTextTable(rows: TableRow[]): string {
  const keys = Object.keys(TABLE_HEADERS) as (keyof TableRow)[];
  const all = [TABLE_HEADERS, ...rows];
  const widths = keys.map((k) => Math.max(...all.map((r) => r[k].length)));
  const line = (r: TableRow) => keys.map((k, i) => r[k].padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(TABLE_HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function fmt(n: number | undefined): string {
  return n === undefined ? '' : formatCount(n);
}

/** ` (dns 24, sni 3, host 0)` when a count by name includes sinkhole contacts; nothing when it is all DNS. */
function split(m: Readonly<Record<string, number>>, side?: 'new' | 'old'): string {
  const [dns, sni, host] = [m[sourceKey('dns', side)], m[sourceKey('sni', side)], m[sourceKey('host', side)]];
  if (dns === undefined || (sni ?? 0) + (host ?? 0) === 0) return '';
  return ` (dns ${fmt(dns)}, sni ${fmt(sni)}, host ${fmt(host)})`;
}
