import type { Command } from './command.js';
import { bootCommand } from './commands/boot.js';
import { dnsServeCommand } from './commands/dns-serve.js';
import { doctorCommand } from './commands/doctor.js';
import { extractCommand } from './commands/extract.js';
import { gcCommand } from './commands/gc.js';
import { imagesBuildCommand } from './commands/images-build.js';
import { inspectCommand } from './commands/inspect.js';
import { initCommand } from './commands/init.js';
import { mergeReportsCommand } from './commands/merge-reports.js';
import { planCommand } from './commands/plan.js';
import { runCommand } from './commands/run.js';

/** Every CLI command; main.ts picks the one whose path matches the most leading words. */
export const COMMANDS: Command[] = [
  runCommand, planCommand, mergeReportsCommand, initCommand, bootCommand, inspectCommand, extractCommand, dnsServeCommand, doctorCommand, imagesBuildCommand, gcCommand,
];
