import type { Writable } from 'node:stream';
import type { ParseArgsConfig } from 'node:util';

/** What a command gets besides its arguments; injected so commands are testable. */
export interface CommandContext {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C / SIGTERM: long-running commands stop and clean up. */
  signal: AbortSignal;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * One CLI command, one file under harness/cli/commands/. The command parses
 * nothing itself (main.ts runs node:util parseArgs with `options`) and holds no
 * logic: it calls the library and prints. It returns the exit code
 * (0 ok, 1 expectation failed, 2 infra error, 64 usage) or throws a FirmlabError.
 */
export interface Command {
  /** Words that select it, e.g. ['images', 'build'] or ['doctor']. */
  path: string[];
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs, ctx: CommandContext): Promise<number>;
}
