import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { extractFirmware, parseByteSize } from '../../firmware/index.js';

export const extractCommand: Command = {
  path: ['extract'],
  summary: "unpack a firmware's root filesystem into a new directory, safely (no path escapes, size cap, no device nodes)",
  usage: 'firmlab extract FILE --out DIR [--json] [--allow-outside-links] [--ignore-checksum] [--max-bytes 512M]',
  options: {
    out: { type: 'string' },
    json: { type: 'boolean' },
    'allow-outside-links': { type: 'boolean' },
    'ignore-checksum': { type: 'boolean' },
    'max-bytes': { type: 'string' },
  },
  async run(args, ctx) {
    const [file, ...extra] = args.positionals;
    const out = args.values.out;
    if (file === undefined || extra.length > 0 || typeof out !== 'string' || out === '') {
      throw new UsageError(`expected FILE and --out DIR; usage: ${extractCommand.usage}`);
    }
    const maxBytes = typeof args.values['max-bytes'] === 'string' ? parseByteSize(args.values['max-bytes']) : undefined;
    const r = await extractFirmware(file, {
      out,
      env: ctx.env,
      cwd: ctx.cwd,
      signal: ctx.signal,
      maxBytes,
      allowOutsideLinks: Boolean(args.values['allow-outside-links']),
      ignoreChecksum: Boolean(args.values['ignore-checksum']),
    });
    if (args.values.json) {
      ctx.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    } else {
      const fs = r.image.filesystem;
      ctx.stdout.write(`extracted ${r.image.path} -> ${r.out} (${fs?.entries ?? '?'} entries, ${fs?.unpackedBytes ?? '?'} bytes${r.cached ? ', from cache' : ''})\n`);
      if (r.devicesSkipped.length > 0) ctx.stdout.write(`skipped ${r.devicesSkipped.length} device nodes: ${r.devicesSkipped.slice(0, 5).join(', ')}\n`);
      for (const l of r.outsideLinks) ctx.stdout.write(`kept outside link ${l.path} -> ${l.target}\n`);
    }
    return 0;
  },
};
