import { describeExpectation, formatCount, formatValue, isCompareExpectation, type Verdict } from '../analysis/index.js';

export interface TableRow {
  build: string;
  window: string;
  domain: string;
  queries: string;
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
    const queries = cmp
      ? `${fmt(m.newCount)} vs ${fmt(m.oldCount)}`
      : fmt(m.count ?? m.ttlChecked);
    const perDay = m.ratePerDay !== undefined
      ? `${formatValue(m.ratePerDay)} (${formatValue(m.ci95LowerPerDay ?? NaN)}-${formatValue(m.ci95UpperPerDay ?? NaN)})`
      : m.ratio !== undefined ? `ratio ${formatValue(m.ratio)} (${formatValue(m.ratioLower ?? NaN)}-${formatValue(m.ratioUpper ?? NaN)})` : '';
    return {
      build, window: cmp ? e.compare.window : e.window, domain: cmp ? e.compare.domain : e.domain,
      queries, perDay, expectation: describeExpectation(e).replace(/^.*: /, ''), verdict: v.status,
    };
  });
}

export const TABLE_HEADERS: Record<keyof TableRow, string> = {
  build: 'build', window: 'window', domain: 'domain', queries: 'queries',
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
