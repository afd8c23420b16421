import type { Writable } from 'node:stream';
import type { RunEventBus } from './run-events.js';
import type { RunReport } from './run-report.js';

export interface ReporterContext {
  /** Where file reporters write (report.json, junit.xml, report.html). */
  reportDir: string;
  stdout: Writable;
  stderr: Writable;
}

/** A reporter watches the run's events and renders the final report; it never changes outcomes. */
export interface Reporter {
  readonly name: string;
  attach?(bus: RunEventBus, ctx: ReporterContext): void;
  /** Renders the report; returns the file it wrote, if any. */
  finish(report: RunReport, ctx: ReporterContext): Promise<string | undefined>;
}
