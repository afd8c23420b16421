export { RunEventBus, type RunEvent, type RunEventType } from './run-events.js';
export type { RunReport, BuildReport } from './run-report.js';
export type { Reporter, ReporterContext } from './reporter.js';
export { REPORTER_NAMES, defaultReporterNames, reporterByName } from './reporter-registry.js';
export { renderMarkdown } from './markdown-reporter.js';
export { headlines, reportHeadlines, type Headline } from './headline.js';
export { renderHtml } from './html-reporter.js';
export { verdictRows, renderTextTable } from './verdict-table.js';
export { writeFileAtomic } from './atomic-write.js';
