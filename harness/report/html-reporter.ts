import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describeExpectation, otherResolversText, type Verdict } from '../analysis/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { esc } from './markup.js';
import { reportHeadlines } from './headline.js';
import type { Reporter } from './reporter.js';
import type { BuildReport, RunReport } from './run-report.js';
import { timelineScale, timelineSvg } from './timeline-svg.js';
import { TABLE_HEADERS, verdictRows, type TableRow } from './verdict-table.js';

/** Each build's files worth opening from the report, in this order, when the build's run directory has them. */
export const ARTIFACTS = ['console.log', 'wan.pcap', 'dns.jsonl', 'dns.dnstap', 'egress.jsonl', 'ipv6.jsonl', 'run.json', 'dhcp.log'];

/** report.html: one self-contained page (no fetches), verdict table and a timeline per build. */
export const htmlReporter: Reporter = {
  name: 'html',
  async finish(report, ctx) {
    const path = join(ctx.reportDir, 'report.html');
    const artifacts: Record<string, string[]> = {};
    for (const b of report.builds) {
      const there = new Set(await readdir(b.runDir).catch(() => [] as string[]));
      // Relative to the report, so the directory can be uploaded and browsed as it is.
      artifacts[b.build] = ARTIFACTS.filter((f) => there.has(f)).map((f) => relative(ctx.reportDir, join(b.runDir, f)));
    }
    await writeFileAtomic(path, renderHtml(report, { artifacts }));
    return path;
  },
};

export function renderHtml(report: RunReport, opts: { artifacts?: Readonly<Record<string, readonly string[]>> } = {}): string {
  const keys = Object.keys(TABLE_HEADERS) as (keyof TableRow)[];
  const rows = verdictRows(report.analysis.verdicts).map((r, i) => {
    const v = report.analysis.verdicts[i]!;
    return `<tr class="${r.verdict}" title="${esc(v.message)}">${keys.map((k) => `<td>${esc(r[k])}</td>`).join('')}</tr>`;
  });
  const resolvers = (build: string) => {
    const r = report.analysis.resolvers.find((x) => x.build === build);
    if (r === undefined) return '';
    return otherResolversText(r) ?? (r.unknown > 0 ? `none seen (${r.unknown} of ${r.queries} not known)` : 'none');
  };
  const builds = report.builds.map((b) => {
    const fw = b.firmware as BuildReport['firmware'] & { arch?: string; profile?: { name?: string } };
    const identity = [fw.model, fw.format, fw.arch, fw.profile?.name && `profile ${fw.profile.name}`].filter(Boolean).join(', ');
    return `<tr data-build="${esc(b.build)}"><td>${esc(b.build)}</td><td>${esc(b.firmware.version ?? '')}</td><td title="${esc(b.firmware.sha256 ?? '')}">${esc(b.firmware.sha256?.slice(0, 16) ?? '')}</td>` +
    `<td class="identity">${esc(identity)}</td><td class="timings">${esc(bootText(b.snapshot) + timingsText(b.timings))}</td>` +
    `<td>${b.queries}</td><td>${esc(resolvers(b.build))}</td><td>${b.ok ? 'ok' : esc(`${b.error?.code}: ${b.error?.message}`)}</td>` +
    `<td class="artifacts">${(opts.artifacts?.[b.build] ?? []).map((f) => `<a href="${esc(f.split('/').map(encodeURIComponent).join('/'))}">${esc(f.split('/').at(-1)!)}</a>`).join(' ')}</td></tr>`;
  });
  const s = report.analysis.summary;
  // One scale for every build: old and new side by side must not look alike when their rates differ.
  const scales = report.analysis.timeline.map(timelineScale);
  const shared = {
    spanMs: Math.max(1, ...scales.map((c) => c.spanMs)),
    maxCount: Math.max(1, ...scales.map((c) => c.maxCount)),
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>firmlab: ${esc(report.scenario.name)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
tr.pass td:last-child{background:#e5f5e0}tr.fail td:last-child{background:#fcbba1}
tr.inconclusive td:last-child{background:#fff3b0}tr.error td:last-child{background:#d9d9d9}
#grid td.pass{background:#e5f5e0}#grid td.fail{background:#fcbba1}#grid td.inconclusive{background:#fff3b0}#grid td.error{background:#d9d9d9}
.legend span{display:inline-block;width:12px;height:3px;margin:0 4px 3px 12px;vertical-align:middle}
figure{margin:16px 0}figcaption{font-weight:600}
#headline p{font-size:16px;padding:6px 10px;border-left:6px solid #999}#headline .fixed{border-color:#31a354}
#headline .not-fixed{border-color:#de2d26}#headline .undecided{border-color:#fec44f}
</style></head><body>
<h1>${esc(report.scenario.name)}</h1>
<p>${esc(report.scenario.description ?? '')}</p>
<p id="summary" data-exit-code="${report.exitCode}">${s.passed} passed, ${s.failed} failed, ${s.inconclusive} inconclusive, ${s.errors} errors${s.findings > 0 ? `, ${s.findings} findings` : ''}; run ${new Date(report.startedAtMs).toISOString()}, ${(report.durationMs / 1000).toFixed(0)} s</p>
<section id="headline">${reportHeadlines(report).map((h) => `<p class="${h.status}" data-model="${esc(h.model)}">${esc(h.text)}</p>`).join('')}</section>
${report.error ? `<p class="error">${esc(report.error.code)}: ${esc(report.error.message)}</p>` : ''}
${gridHtml(report.analysis.verdicts)}<h2>Verdicts</h2>
<table id="verdicts"><thead><tr>${keys.map((k) => `<th>${esc(TABLE_HEADERS[k])}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>
${report.analysis.findings.length === 0 ? '' : `<h2>Findings</h2>
<ul id="findings">${report.analysis.findings.map((f) => `<li data-build="${esc(f.build)}" data-window="${esc(f.window)}">${esc(f.message)}</li>`).join('')}</ul>`}
<h2>Builds</h2>
<table id="builds"><thead><tr><th>build</th><th>version</th><th>sha256</th><th>firmware</th><th>phases</th><th>queries</th><th>other resolvers</th><th>status</th><th>files</th></tr></thead><tbody>${builds.join('\n')}</tbody></table>
<h2>What each build contacted</h2>
${contactsHtml(report)}
<h2>Timeline</h2>
${report.analysis.timeline.map((t) => timelineSvg(t, shared)).join('\n')}
</body></html>
`;
}

/** Phase timings as a reader wants them: kernel up, ready, the whole build; seconds. */
function timingsText(t: Readonly<Record<string, number>>): string {
  const phases: [string, string][] = [['boot.kernelUpMs', 'kernel'], ['boot.initStartedMs', 'init'], ['boot.readyMs', 'ready'], ['totalMs', 'total']];
  return phases.filter(([k]) => typeof t[k] === 'number').map(([k, label]) => `${label} ${(t[k]! / 1000).toFixed(1)} s`).join(', ');
}

function bootText(s: BuildReport['snapshot']): string {
  return s === undefined ? '' : s.restored ? 'restored from snapshot; ' : s.saved ? 'booted, snapshot saved; ' : 'booted; ';
}

/** The model a verdict judges: the part of its build id before the build (`archer-ax55v1/old`), none without models. */
function modelOf(v: Verdict): string | undefined {
  const e = v.expectation as { build?: string; compare?: { old?: string } };
  const build = e.build ?? e.compare?.old ?? '';
  return build.includes('/') ? build.slice(0, build.lastIndexOf('/')) : undefined;
}

/**
 * A matrix run's overview: one row per model, one column per expectation
 * of the scenario (its text with the model taken out), each cell the
 * verdict. Nothing for a run of one model: the verdict table says it all.
 */
function gridHtml(verdicts: readonly Verdict[]): string {
  const models = [...new Set(verdicts.map(modelOf).filter((m): m is string => m !== undefined))];
  if (models.length < 2) return '';
  const label = (v: Verdict) => describeExpectation(v.expectation).split(`${modelOf(v)}/`).join('');
  const columns = [...new Set(verdicts.map(label))];
  const rows = models.map((m) => {
    const mine = verdicts.filter((v) => modelOf(v) === m);
    const cells = columns.map((c) => {
      const v = mine.find((x) => label(x) === c);
      return v === undefined ? '<td class="none">-</td>' : `<td class="${v.status}" title="${esc(v.message)}">${v.status}</td>`;
    });
    return `<tr data-model="${esc(m)}"><th>${esc(m)}</th>${cells.join('')}</tr>`;
  });
  return `<h2>Models x expectations</h2>
<table id="grid"><thead><tr><th>model</th>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>
`;
}

/** Rows per contact table: a firmware that asks for 10,000 names gets a page that still opens. */
const MAX_ROWS = 50;

/** New names and destinations first (what a reviewer looks for), then each build's names and destinations per window. */
function contactsHtml(report: RunReport): string {
  const a = report.analysis;
  const fresh = a.newContacts.length === 0 ? '<p id="new-contacts" class="none">The new builds contacted nothing their old builds did not.</p>'
    : `<ul id="new-contacts">${a.newContacts.map((n) => [...n.names, ...n.destinations].map((what) =>
      `<li data-build="${esc(n.new)}" data-window="${esc(n.window)}">${esc(n.new)}/${esc(n.window)}: <code>${esc(what)}</code> (not contacted by ${esc(n.old)})</li>`).join('')).join('')}</ul>`;
  const rows = <T>(xs: readonly T[], row: (x: T) => string, cols: number) => [
    ...xs.slice(0, MAX_ROWS).map(row),
    ...(xs.length > MAX_ROWS ? [`<tr><td colspan="${cols}">${xs.length - MAX_ROWS} more in report.json</td></tr>`] : []),
  ].join('');
  const perBuild = report.builds.map((b) => {
    const windows = a.names.filter((n) => n.build === b.build).map((n) => {
      const egress = a.egress.find((e) => e.build === b.build && e.window === n.window);
      const dns = n.names.length === 0 ? '<p>no DNS queries</p>'
        : `<table class="names"><thead><tr><th>name</th><th>queries</th><th>types</th><th>answers</th></tr></thead><tbody>${rows(n.names,
          (x) => `<tr><td>${esc(x.name)}</td><td>${x.count}</td><td>${esc(x.types)}</td><td>${esc(x.rcodes)}</td></tr>`, 4)}</tbody></table>`;
      const other = !egress || egress.destinations.length === 0 ? '<p>no other egress</p>'
        : `<table class="egress"><thead><tr><th>destination</th><th>contacts</th></tr></thead><tbody>${rows(egress.destinations,
          (d) => `<tr><td>${esc(d.destination)}</td><td>${d.count}</td></tr>`, 2)}</tbody></table>`;
      return `<h4>${esc(n.window)}</h4>${dns}${other}`;
    }).join('');
    return `<section class="contacts" data-build="${esc(b.build)}"><h3>${esc(b.build)}${b.firmware.version ? ` (${esc(b.firmware.version)})` : ''}</h3>${windows || '<p>no observation windows</p>'}</section>`;
  }).join('\n');
  return `${fresh}\n${perBuild}`;
}
