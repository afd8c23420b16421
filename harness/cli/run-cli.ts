import { parseArgs } from 'node:util';
import type { Command, CommandContext } from './command.js';
import { EXIT, exitCodeFor, isFirmlabError, UsageError } from '../errors.js';

export function findCommand(commands: Command[], argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const c of commands) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

export function helpText(commands: Command[]): string {
  const lines = ['usage: firmlab <command> [options]', '', 'commands:'];
  for (const c of commands) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push('', 'exit codes: 0 ok, 1 expectation failed or inconclusive, 2 harness/infrastructure error, 64 usage error');
  return `${lines.join('\n')}\n`;
}

/** argv -> command -> exit code. Errors become one `CODE: message` line on stderr. */
export async function runCli(commands: Command[], argv: string[], ctx: CommandContext): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? ctx.stderr : ctx.stdout).write(helpText(commands));
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  try {
    const found = findCommand(commands, argv);
    if (!found) throw new UsageError(`unknown command "${argv.join(' ')}"; run \`firmlab --help\``);
    const { command, rest } = found;
    if (rest.includes('--help') || rest.includes('-h')) {
      ctx.stdout.write(`usage: ${command.usage}\n${command.summary}\n`);
      return EXIT.ok;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(`${(e as Error).message}; usage: ${command.usage}`);
    }
    return await command.run({ values: parsed.values, positionals: parsed.positionals }, ctx);
  } catch (e) {
    if (isFirmlabError(e)) {
      ctx.stderr.write(`${e.toLine()}\n`);
    } else {
      ctx.stderr.write(`FIRMLAB_INTERNAL: ${(e as Error)?.stack ?? String(e)}\n`);
    }
    return exitCodeFor(e);
  }
}
