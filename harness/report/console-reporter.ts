import { otherResolversText } from '../analysis/index.js';
import { reportHeadlines } from './headline.js';
import type { Reporter } from './reporter.js';
import { renderTextTable, verdictRows } from './verdict-table.js';

/** Live progress on stderr while the run goes, the verdict table on stdout at the end. */
export const consoleReporter: Reporter = {
  name: 'console',
  attach(bus, ctx) {
    const out = (build: string, text: string) => ctx.stderr.write(`[${build}] ${text}\n`);
    const queries = new Map<string, number>();
    bus.on('run-started', (e) => ctx.stderr.write(`scenario ${e.scenario}: builds ${e.builds.join(', ')}; run dir ${e.runDir}\n`));
    bus.on('build-started', (e) => out(e.build, `firmware ${e.firmware}`));
    bus.on('boot-phase', (e) => out(e.build, `boot: ${e.phase} after ${(e.elapsedMs / 1000).toFixed(1)} s`));
    bus.on('step-started', (e) => out(e.build, `step ${e.index + 1}: ${e.step}`));
    bus.on('step-finished', (e) => out(e.build, `step ${e.index + 1} done in ${(e.durationMs / 1000).toFixed(1)} s${e.detail ? `: ${e.detail}` : ''} (queries so far: ${queries.get(e.build) ?? 0})`));
    bus.on('setting-changed', (e) => out(e.build, `${e.feature} -> ${e.state} (via ${e.via}, read back${e.fellBack === undefined ? '' : `; fell back from the web UI: ${e.fellBack}`})`));
    bus.on('window-closed', (e) => out(e.build, `window ${e.window}: ${e.queries} queries in ${((e.endMs - e.startMs) / 1000).toFixed(1)} s; ${e.liveness}`));
    bus.on('dns-query', (e) => queries.set(e.build, (queries.get(e.build) ?? 0) + 1));
    bus.on('build-finished', (e) => out(e.build, e.ok ? 'done' : `FAILED: ${e.error?.code}: ${e.error?.message}`));
  },
  async finish(report, ctx) {
    const s = report.analysis.summary;
    ctx.stdout.write(`\n${report.scenario.name}\n\n${renderTextTable(verdictRows(report.analysis.verdicts))}\n\n`);
    for (const h of reportHeadlines(report)) ctx.stdout.write(`${h.text}\n`);
    for (const v of report.analysis.verdicts) if (v.status !== 'pass') ctx.stdout.write(`${v.status}: ${v.message}\n`);
    for (const f of report.analysis.findings) ctx.stdout.write(`finding: ${f.message}\n`);
    for (const n of report.analysis.newContacts) {
      for (const what of [...n.names, ...n.destinations]) ctx.stdout.write(`new contact: ${n.new}/${n.window}: ${what} (not contacted by ${n.old})\n`);
    }
    for (const r of report.analysis.resolvers) {
      const text = otherResolversText(r);
      if (text !== undefined) ctx.stdout.write(`resolvers: ${r.build}: ${text}\n`);
    }
    if (report.error) ctx.stdout.write(`error: ${report.error.code}: ${report.error.message}\n`);
    ctx.stdout.write(`${s.passed} passed, ${s.failed} failed, ${s.inconclusive} inconclusive, ${s.errors} errors${s.findings > 0 ? `, ${s.findings} findings` : ''}; report in ${ctx.reportDir}\n`);
    return undefined;
  },
};
