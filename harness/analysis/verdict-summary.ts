import { EXIT } from '../errors.js';
import type { Verdict } from './verdict.js';

export interface VerdictSummary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly inconclusive: number;
  readonly errors: number;
  /** Findings about the builds (analyze-run.ts `Finding`): a service that should run and does not. */
  readonly findings: number;
  /** 0 all passed; 1 any failed or inconclusive, or any finding; 2 any error (that wins: the run proved nothing). */
  readonly exitCode: 0 | 1 | 2;
}

export function summarizeVerdicts(verdicts: readonly Verdict[], findings = 0): VerdictSummary {
  const count = (status: Verdict['status']) => verdicts.filter((v) => v.status === status).length;
  const passed = count('pass');
  const failed = count('fail');
  const inconclusive = count('inconclusive');
  const errors = count('error');
  const exitCode = errors > 0 ? EXIT.infra : failed + inconclusive + findings > 0 ? EXIT.assertion : EXIT.ok;
  return { total: verdicts.length, passed, failed, inconclusive, errors, findings, exitCode };
}
