import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { Reporter } from './reporter.js';

/** report.json: everything the table has, plus timings and firmware identities. */
export const jsonReporter: Reporter = {
  name: 'json',
  async finish(report, ctx) {
    const path = join(ctx.reportDir, 'report.json');
    await writeFileAtomic(path, reportJson(report));
    return path;
  },
};

/** A report (or several) as report.json writes it. */
export function reportJson(value: unknown): string {
  return `${JSON.stringify(value, replacer, 2)}\n`;
}

/** NaN and Infinity are not JSON: write them as null rather than lose the key. */
function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
