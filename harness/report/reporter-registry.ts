import { consoleReporter } from './console-reporter.js';
import { htmlReporter } from './html-reporter.js';
import { jsonReporter } from './json-reporter.js';
import { junitReporter } from './junit-reporter.js';
import type { Reporter } from './reporter.js';
import { UsageError } from '../errors.js';

/** Reporters by name, as `--reporter` and scenario runs choose them. */
export function reporterByName(name: string, opts: { junitFile?: string } = {}): Reporter {
  switch (name) {
    case 'console': return consoleReporter;
    case 'json': return jsonReporter;
    case 'html': return htmlReporter;
    case 'junit': return junitReporter(opts.junitFile);
    default: throw new UsageError(`unknown reporter ${name}; known: console, json, junit, html`);
  }
}
