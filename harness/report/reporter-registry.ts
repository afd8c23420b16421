import { consoleReporter } from './console-reporter.js';
import { ctrfReporter } from './ctrf-reporter.js';
import { htmlReporter } from './html-reporter.js';
import { jsonReporter } from './json-reporter.js';
import { junitReporter } from './junit-reporter.js';
import { markdownReporter } from './markdown-reporter.js';
import type { Reporter } from './reporter.js';
import { UsageError } from '../errors.js';

export const REPORTER_NAMES = ['console', 'json', 'junit', 'html', 'markdown', 'ctrf'] as const;

/** Where the file reporters write when told (`--junit FILE`, `--ctrf FILE`, $GITHUB_STEP_SUMMARY). */
export interface ReporterFiles {
  junitFile?: string;
  summaryFile?: string;
  ctrfFile?: string;
}

/** Reporters by name, as `--reporter` and scenario runs choose them. */
export function reporterByName(name: string, opts: ReporterFiles = {}): Reporter {
  switch (name) {
    case 'console': return consoleReporter;
    case 'json': return jsonReporter;
    case 'html': return htmlReporter;
    case 'junit': return junitReporter(opts.junitFile);
    case 'markdown': return markdownReporter(opts.summaryFile);
    case 'ctrf': return ctrfReporter(opts.ctrfFile);
    default: throw new UsageError(`unknown reporter ${name}; known: ${REPORTER_NAMES.join(', ')}`);
  }
}

/**
 * The reporters of a run: the ones named (`--reporter console,html`), else
 * console, json, junit and html, plus markdown when a CI job summary file
 * is set ($GITHUB_STEP_SUMMARY).
 */
export function defaultReporterNames(env: NodeJS.ProcessEnv): string[] {
  return ['console', 'json', 'junit', 'html', ...(env.GITHUB_STEP_SUMMARY ? ['markdown'] : [])];
}

/** The reporters of a run or merge: those named, else the defaults; `--ctrf FILE` adds ctrf to either. */
export function reportersFor(named: readonly string[] | undefined, env: NodeJS.ProcessEnv, files: ReporterFiles): Reporter[] {
  const names = [...(named ?? defaultReporterNames(env))];
  if (files.ctrfFile !== undefined && !names.includes('ctrf')) names.push('ctrf');
  return names.map((n) => reporterByName(n, { ...files, summaryFile: env.GITHUB_STEP_SUMMARY }));
}

/** `--reporter console,html --reporter junit` as names, each checked; none given: undefined (the defaults). */
export function parseReporterNames(values: readonly string[] | undefined): string[] | undefined {
  const named = values?.flatMap((r) => r.split(',')).map((r) => r.trim()).filter((r) => r !== '');
  for (const r of named ?? []) {
    if (!(REPORTER_NAMES as readonly string[]).includes(r)) throw new UsageError(`--reporter: unknown reporter ${r}; known: ${REPORTER_NAMES.join(', ')}`);
  }
  return named !== undefined && named.length > 0 ? named : undefined;
}
