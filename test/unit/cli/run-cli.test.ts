import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import type { Command, CommandContext } from '../../../harness/cli/command.js';
import { runCli } from '../../../harness/cli/run-cli.js';
import { FirmlabError } from '../../../harness/errors.js';

function context() {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough().on('data', (b: Buffer) => out.push(b.toString()));
  const stderr = new PassThrough().on('data', (b: Buffer) => err.push(b.toString()));
  const ctx: CommandContext = { stdout, stderr, env: {}, cwd: '/', signal: new AbortController().signal };
  return { ctx, out: () => out.join(''), err: () => err.join('') };
}

const seen: unknown[] = [];
const commands: Command[] = [
  { path: ['images', 'build'], summary: 'build', usage: 'firmlab images build [--force]', options: { force: { type: 'boolean' } },
    run: async (a) => { seen.push(a); return 0; } },
  { path: ['boom'], summary: 'fails', usage: 'firmlab boom', options: {},
    run: async () => { throw new FirmlabError('FIRMLAB_BOOT_TIMEOUT', 'no login prompt within 60 s\nlast lines: x'); } },
  { path: ['crash'], summary: 'bug', usage: 'firmlab crash', options: {}, run: async () => { throw new TypeError('oops'); } },
];

describe('runCli', () => {
  it('picks the command by its words and passes parsed options', async () => {
    const { ctx } = context();
    expect(await runCli(commands, ['images', 'build', '--force', 'emulator'], ctx)).to.equal(0);
    expect(seen.at(-1)).to.deep.equal({ values: { force: true }, positionals: ['emulator'] });
  });

  it('exits 64 with FIRMLAB_USAGE for an unknown command or option', async () => {
    const a = context();
    expect(await runCli(commands, ['imagez'], a.ctx)).to.equal(64);
    expect(a.err()).to.match(/^FIRMLAB_USAGE: unknown command "imagez"/);
    const b = context();
    expect(await runCli(commands, ['images', 'build', '--forse'], b.ctx)).to.equal(64);
    expect(b.err()).to.match(/^FIRMLAB_USAGE: .*--forse.*usage: firmlab images build/);
  });

  it('prints a FirmlabError as one line starting with its code and exits 2', async () => {
    const { ctx, err } = context();
    expect(await runCli(commands, ['boom'], ctx)).to.equal(2);
    expect(err()).to.equal('FIRMLAB_BOOT_TIMEOUT: no login prompt within 60 s | last lines: x\n');
  });

  it('treats an unexpected exception as an internal error, exit 2', async () => {
    const { ctx, err } = context();
    expect(await runCli(commands, ['crash'], ctx)).to.equal(2);
    expect(err()).to.match(/^FIRMLAB_INTERNAL: TypeError: oops/);
  });

  it('shows help on --help (exit 0) and on no arguments (exit 64)', async () => {
    const a = context();
    expect(await runCli(commands, ['--help'], a.ctx)).to.equal(0);
    expect(a.out()).to.match(/firmlab images build/);
    const b = context();
    expect(await runCli(commands, [], b.ctx)).to.equal(64);
  });
});
