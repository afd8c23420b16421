export { RunEventBus, type RunEvent, type RunEventType } from './run-events.js';
export type { RunReport, BuildReport } from './run-report.js';
export type { Reporter, ReporterContext } from './reporter.js';
export { reporterByName } from './reporter-registry.js';
export { renderHtml } from './html-reporter.js';
export { verdictRows, renderTextTable } from './verdict-table.js';
export { writeFileAtomic } from './atomic-write.js';
