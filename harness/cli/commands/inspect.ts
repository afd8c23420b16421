import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { formatFirmwareImage, inspectFirmware, parseByteSize } from '../../firmware/index.js';

export const inspectCommand: Command = {
  path: ['inspect'],
  summary: 'identify a firmware file (TP-Link v1/v2, squashfs, tar root): header, checksum, parts, filesystem, CPU, libc, init, kernel (a squashfs root is listed and read in place, a tar root unpacked, into the cache)',
  usage: 'firmlab inspect FILE [--json] [--no-unpack] [--ignore-checksum] [--max-bytes 512M]',
  options: {
    json: { type: 'boolean' },
    'no-unpack': { type: 'boolean' },
    'ignore-checksum': { type: 'boolean' },
    'max-bytes': { type: 'string' },
  },
  async run(args, ctx) {
    const [file, ...extra] = args.positionals;
    if (file === undefined || extra.length > 0) throw new UsageError(`expected one FILE; usage: ${inspectCommand.usage}`);
    const maxBytes = typeof args.values['max-bytes'] === 'string' ? parseByteSize(args.values['max-bytes']) : undefined;
    const r = await inspectFirmware(file, {
      env: ctx.env,
      cwd: ctx.cwd,
      signal: ctx.signal,
      maxBytes,
      ignoreChecksum: Boolean(args.values['ignore-checksum']),
      unpack: !args.values['no-unpack'],
    });
    if (args.values.json) {
      ctx.stdout.write(`${JSON.stringify({ ...r.image, rootfsImage: r.rootfsImage, root: r.root, cached: r.cached }, null, 2)}\n`);
    } else {
      ctx.stdout.write(formatFirmwareImage(r.image));
      if (r.rootfsImage) ctx.stderr.write(`${r.cached ? 'cached' : r.root ? 'unpacked into' : 'root disk and its listing cached (nothing unpacked) in'} ${r.cacheDir}\n`);
    }
    return 0;
  },
};
