import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { reportHeadlines } from './headline.js';
import type { Reporter } from './reporter.js';
import type { RunReport } from './run-report.js';
import { TABLE_HEADERS, verdictRows, type TableRow } from './verdict-table.js';

/** GitHub refuses a job summary over 1 MiB; stay well under it, whatever the run holds. */
export const MAX_SUMMARY_BYTES = 512 * 1024;

/**
 * summary.md: the headline per model, the verdict table, findings and the
 * count line, as Markdown for CI job summaries. With `summaryFile` (the
 * runner passes $GITHUB_STEP_SUMMARY) the same text is appended there too.
 */
export function markdownReporter(summaryFile?: string): Reporter {
  return {
    name: 'markdown',
    async finish(report, ctx) {
      const text = renderMarkdown(report);
      const path = join(ctx.reportDir, 'summary.md');
      await writeFileAtomic(path, text);
      if (summaryFile) await appendFile(summaryFile, `${text}\n`);
      return path;
    },
  };
}

export function renderMarkdown(report: RunReport, maxBytes = MAX_SUMMARY_BYTES): string {
  const s = report.analysis.summary;
  const keys = Object.keys(TABLE_HEADERS) as (keyof TableRow)[];
  const head = [
    `## firmlab: ${cell(report.scenario.name)}`,
    '',
    ...reportHeadlines(report).map((h) => `- **${h.status}**: ${cell(h.text)}`),
    '',
  ];
  const tail = [
    '',
    ...report.analysis.findings.map((f) => `- finding: ${cell(f.message)}`),
    ...(report.error ? [`- error: ${cell(`${report.error.code}: ${report.error.message}`)}`] : []),
    `${s.passed} passed, ${s.failed} failed, ${s.inconclusive} inconclusive, ${s.errors} errors${s.findings > 0 ? `, ${s.findings} findings` : ''}; exit ${report.exitCode}`,
    '',
  ];
  const table = [`| ${keys.map((k) => TABLE_HEADERS[k]).join(' | ')} |`, `|${keys.map(() => ' --- ').join('|')}|`];
  const rows = verdictRows(report.analysis.verdicts).map((r) => `| ${keys.map((k) => cell(r[k])).join(' | ')} |`);
  const bytes = (lines: string[]) => Buffer.byteLength(lines.join('\n'));
  const budget = maxBytes - bytes(head) - bytes(tail) - bytes(table) - 200;
  let kept = 0;
  let used = 0;
  for (const r of rows) {
    if (used + Buffer.byteLength(r) + 1 > budget) break;
    used += Buffer.byteLength(r) + 1;
    kept++;
  }
  const cut = kept < rows.length ? [`| ${rows.length - kept} more rows in report.json |${keys.slice(1).map(() => ' |').join('')}`] : [];
  return [...head, ...table, ...rows.slice(0, kept), ...cut, ...tail].join('\n');
}

/** Text safe in a Markdown table cell and list item: pipes escaped, no line breaks, no HTML. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
