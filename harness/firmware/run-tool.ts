import { execa, type ExecaError } from 'execa';
import { ExtractFailedError, ToolMissingError } from './firmware-errors.js';

/**
 * The one place the firmware module runs a program (unsquashfs, mksquashfs,
 * tar, bzip2): a missing binary becomes FIRMLAB_TOOL_MISSING naming its
 * Debian package, a failure FIRMLAB_FIRMWARE_EXTRACT with stderr's tail,
 * and output over `maxBuffer` (a decompression bomb) `onTooLarge`.
 */
export interface ToolRun {
  tool: string;
  aptPackage: string;
  /** Names the firmware file in error messages. */
  label: string;
  /** What failed, for the message: 'unsquashfs failed'. */
  what: string;
  signal?: AbortSignal;
  input?: Buffer;
  maxBuffer?: number;
  onTooLarge?: () => Error;
}

export async function runTool(args: string[], o: ToolRun): Promise<Buffer> {
  try {
    const r = await execa(o.tool, args, {
      cancelSignal: o.signal,
      input: o.input,
      stdin: o.input ? undefined : 'ignore',
      encoding: 'buffer',
      maxBuffer: o.maxBuffer ?? 256 * 1024 * 1024,
      env: { LC_ALL: 'C' },
    });
    return Buffer.from(r.stdout);
  } catch (e) {
    const err = e as ExecaError;
    if ((err as { code?: string }).code === 'ENOENT') throw new ToolMissingError(o.tool, o.aptPackage, e);
    if (err.isCanceled) throw e;
    if (err.isMaxBuffer && o.onTooLarge) throw o.onTooLarge();
    const tail = Buffer.from((err.stderr as Uint8Array | undefined) ?? []).toString('utf8').trim().split('\n').slice(-3).join(' | ');
    throw new ExtractFailedError(o.label, o.what, tail, { exitCode: err.exitCode });
  }
}
