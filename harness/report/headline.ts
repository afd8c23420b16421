import { formatValue, isCompareExpectation, type Finding, type Verdict } from '../analysis/index.js';
import type { RunReport } from './run-report.js';

/**
 * The answer a reader opens the report for, one sentence per model: fixed
 * or not, and the figures that say so. "archer-ax55v1: fixed. The bug shows
 * on 1.0.7 (disabled: 69,120/day); the fix holds on 1.0.9 (disabled: 0 in
 * 30.0 s: below 8,628/day at 95%)." A model is fixed only when every
 * expectation on its new build (and every comparison) passed and the new
 * build has no finding; the old build's expectations are the positive
 * control that the lab could show the bug at all.
 */
export interface Headline {
  /** The model's name; '' for a scenario without `model`. */
  model: string;
  status: 'fixed' | 'not-fixed' | 'undecided' | 'not-judged';
  text: string;
}

export function headlines(verdicts: readonly Verdict[], findings: readonly Finding[], versions: Readonly<Record<string, string | undefined>>): Headline[] {
  const models = [...new Set(verdicts.map((v) => modelOf(buildsOf(v)[0]!)))];
  return models.map((model) => {
    const mine = verdicts.filter((v) => modelOf(buildsOf(v)[0]!) === model);
    const id = (b: 'old' | 'new') => (model === '' ? b : `${model}/${b}`);
    const version = (b: 'old' | 'new') => versions[id(b)] ?? b;
    const onNew = mine.filter((v) => isCompareExpectation(v.expectation) || buildsOf(v)[0] === id('new'));
    const onOld = mine.filter((v) => !isCompareExpectation(v.expectation) && buildsOf(v)[0] === id('old'));
    const newFindings = findings.filter((f) => f.build === id('new'));
    const name = model === '' ? 'The new build' : model;
    const first = (status: Verdict['status']) => onNew.find((v) => v.status === status);

    const failed = first('fail');
    if (failed || newFindings.length > 0) {
      const why = failed ? failed.message : newFindings[0]!.message;
      return { model, status: 'not-fixed', text: `${name}: NOT fixed on ${version('new')}. ${why}` };
    }
    const errored = first('error') ?? onOld.find((v) => v.status === 'error');
    if (errored) return { model, status: 'not-judged', text: `${name}: could not be judged. ${errored.message}` };
    const open = first('inconclusive');
    if (open) return { model, status: 'undecided', text: `${name}: undecided on ${version('new')}. ${open.message}` };
    if (onNew.length === 0) return { model, status: 'not-judged', text: `${name}: no expectation names the new build.` };

    const holds = `the fix holds on ${version('new')} (${evidence(onNew)})`;
    const control = onOld.filter((v) => v.status !== 'pass');
    const bug = onOld.length === 0 ? 'no expectation checks that the old build shows the bug'
      : control.length === 0 ? `the bug shows on ${version('old')} (${evidence(onOld)})`
        : `but the old build did not show the bug as expected: ${control[0]!.message}`;
    return { model, status: 'fixed', text: `${name}: fixed. ${capital(onOld.length > 0 && control.length === 0 ? `${bug}; ${holds}` : `${holds}; ${bug}`)}.` };
  });
}

/** The figure that best says what a set of passing verdicts shows: a `none`'s bound, else a measured rate. */
function evidence(vs: readonly Verdict[]): string {
  const none = vs.find((v) => v.bound !== undefined);
  if (none) return `${windowOf(none)}: ${none.bound}`;
  const rate = vs.find((v) => v.measured.ratePerDay !== undefined);
  if (rate) return `${windowOf(rate)}: ${formatValue(rate.measured.ratePerDay!)}/day`;
  return vs[0]!.message;
}

function buildsOf(v: Verdict): string[] {
  const e = v.expectation;
  return isCompareExpectation(e) ? [e.compare.new ?? 'new', e.compare.old ?? 'old'] : [e.build];
}

function windowOf(v: Verdict): string {
  const e = v.expectation;
  return isCompareExpectation(e) ? e.compare.window : e.window;
}

/** `archer-ax55v1/new` -> `archer-ax55v1`; `new` -> ''. */
function modelOf(build: string): string {
  const at = build.lastIndexOf('/');
  return at < 0 ? '' : build.slice(0, at);
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The headlines of a finished run, each build's firmware version standing for its name. */
export function reportHeadlines(report: RunReport): Headline[] {
  const versions = Object.fromEntries(report.builds.map((b) => [b.build, b.firmware.version]));
  return headlines(report.analysis.verdicts, report.analysis.findings, versions);
}
