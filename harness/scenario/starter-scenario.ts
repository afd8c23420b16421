import { stringify } from 'yaml';
import { formatDuration, isProbeName, poissonUpper } from '../analysis/index.js';
import type { RunReport } from '../report/run-report.js';

/** The window `firmlab init` observes in, and the one the starter scenario keeps. */
export const BASELINE_WINDOW = 'baseline';

export interface StarterOptions {
  /** The firmware as the scenario file should name it (relative to the scenario's directory). */
  firmware: string;
  /** scenarios/schema.json as seen from the scenario's directory, for editors. */
  schema: string;
  name: string;
  /** How the baseline was taken, for the header: the command line. */
  command: string;
  /** The command that runs the written file, for the header's last line. */
  next: string;
}

/** `*.openwrt.org` for `0.openwrt.pool.ntp.org`? No: the name's last two labels, so a pool's names share one pattern. */
export function domainPatternFor(name: string): string {
  const labels = name.split('.');
  return labels.length <= 2 ? name : `*.${labels.slice(-2).join('.')}`;
}

/** A bound with room above what was seen: twice the 95% upper bound of the observed rate, in two significant digits. */
function suggestedMaxPerDay(count: number, windowMs: number): number {
  const upper = (poissonUpper(count) / (windowMs / 1000)) * 86_400 * 2;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(upper)) - 1);
  return Math.ceil(upper / magnitude) * magnitude;
}

/**
 * The starter scenario `firmlab init` writes from one baseline run of one
 * build: the profile the lab picked, a boot timeout from the boot it saw,
 * the same observation window, the names and destinations it saw as a
 * commented baseline, and a suggested `max_per_day` per contacted domain.
 * Pure: the report in, YAML text out.
 */
export function starterScenario(report: RunReport, o: StarterOptions): string {
  const build = report.builds[0];
  if (!build) throw new Error('starterScenario: the baseline run has no build');
  const fw = build.firmware as { version?: string; format?: string; arch?: string; sha256?: string; profile?: { name?: string; reason?: string } };
  const window = report.analysis.windowStats.find((w) => w.window === BASELINE_WINDOW);
  const windowMs = window?.durationMs ?? 60_000;
  const names = (report.analysis.names.find((n) => n.window === BASELINE_WINDOW)?.names ?? []).filter((n) => !isProbeName(n.name));
  const egress = report.analysis.egress.find((e) => e.window === BASELINE_WINDOW)?.destinations ?? [];
  const readyMs = build.timings['boot.readyMs'];
  const bootTimeoutS = Math.max(60, Math.ceil(((readyMs ?? 60_000) * 3) / 10_000) * 10);

  const perPattern = new Map<string, number>();
  for (const n of names) perPattern.set(domainPatternFor(n.name), (perPattern.get(domainPatternFor(n.name)) ?? 0) + n.count);
  const header = [
    `yaml-language-server: $schema=${o.schema}`,
    '',
    `Written by \`${o.command}\` on ${new Date(report.finishedAtMs).toISOString().slice(0, 10)}`,
    `from one boot of ${o.firmware}: ${[fw.format, fw.version, fw.arch].filter(Boolean).join(', ')}${fw.sha256 ? `, sha256 ${fw.sha256.slice(0, 16)}...` : ''}.`,
    `Device profile ${fw.profile?.name ?? '?'}${fw.profile?.reason ? ` (${fw.profile.reason})` : ''}; ready ${readyMs === undefined ? 'at an unknown time' : `after ${formatDuration(readyMs)}`}.`,
    '',
    `Baseline: in ${formatDuration(windowMs)} after boot, with no setting changed, it asked for`,
    ...(names.length === 0 ? ['  no name at all'] : names.slice(0, 40).map((n) => `  ${n.name}: ${n.count} (${n.types}; ${n.rcodes})`)),
    ...(names.length > 40 ? [`  ... and ${names.length - 40} more (report.json of the baseline run)`] : []),
    'and contacted, other than by DNS,',
    ...(egress.length === 0 ? ['  nothing'] : egress.slice(0, 20).map((d) => `  ${d.destination}: ${d.count}`)),
    '',
    'Next: point `new` at the build that should change something, add the',
    'steps that switch the feature (`login`, `set`) and windows around them,',
    'and keep the expectations that say what must hold. Then:',
    `  ${o.next}`,
  ];
  const body = {
    name: o.name,
    description: `Starter scenario for ${o.firmware}: what it contacts on its own after boot.`,
    builds: { old: o.firmware, new: o.firmware },
    lab: { ...(fw.profile?.name !== undefined && { profile: fw.profile.name }) },
    steps: [{ boot: { timeout: `${bootTimeoutS}s` } }, { observe: { for: `${Math.round(windowMs / 1000)}s`, as: BASELINE_WINDOW } }],
  };
  const expect = [...perPattern].map(([domain, count]) => ({ build: 'new', window: BASELINE_WINDOW, domain, max_per_day: suggestedMaxPerDay(count, windowMs) }));
  const comment = (lines: string[]) => lines.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n');
  return [
    comment(header), '',
    stringify(body, { lineWidth: 0 }).trimEnd(), '',
    comment([
      'Suggested from the baseline: each domain contacted at most twice the',
      '95% upper bound of the rate seen (a new build that asks more often fails).',
      ...(expect.length === 0 ? ['The baseline saw no name: a `none: true` per domain you care about is the place to start.'] : []),
    ]),
    expect.length === 0 ? 'expect: []' : stringify({ expect }, { lineWidth: 0 }).trimEnd(),
    '',
  ].join('\n');
}
