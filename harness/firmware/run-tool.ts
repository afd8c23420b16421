import { execa, type ExecaError } from 'execa';
import { ExtractFailedError, ToolMissingError, ToolTimeoutError } from './firmware-errors.js';
import { auditTree } from './tree-audit.js';

/**
 * The one place the firmware module runs a program (unsquashfs, mksquashfs,
 * tar, bzip2): a missing binary becomes FIRMLAB_TOOL_MISSING naming its
 * Debian package, a failure FIRMLAB_FIRMWARE_EXTRACT with stderr's tail,
 * output over `maxBuffer` (a decompression bomb) `onTooLarge`, a run past
 * `timeoutMs` FIRMLAB_FIRMWARE_TOOL_TIMEOUT, and a tree under `watch.dir`
 * that grows past `watch.maxBytes` while the tool writes it (an archive
 * whose listing lied about sizes) is stopped there with `watch.onTooLarge`.
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
  /** Default 5 minutes: unpacking a real router image takes seconds. */
  timeoutMs?: number;
  watch?: { dir: string; maxBytes: number; onTooLarge: (bytes: number) => Error };
}

/** How often a watched tree is measured while a tool writes it. */
const WATCH_EVERY_MS = 100;

export async function runTool(args: string[], o: ToolRun): Promise<Buffer> {
  const timeoutMs = o.timeoutMs ?? 300_000;
  const child = execa(o.tool, args, {
    cancelSignal: o.signal,
    input: o.input,
    stdin: o.input ? undefined : 'ignore',
    encoding: 'buffer',
    maxBuffer: o.maxBuffer ?? 256 * 1024 * 1024,
    timeout: timeoutMs,
    env: { LC_ALL: 'C' },
  });
  let overflow: number | undefined;
  let measuring = false;
  const watcher = o.watch && setInterval(() => {
    if (measuring) return;
    measuring = true;
    auditTree(o.watch!.dir, { measureOnly: true }).then((a) => {
      if (a.bytes > o.watch!.maxBytes && overflow === undefined) {
        overflow = a.bytes;
        child.kill('SIGKILL');
      }
    }, () => undefined).finally(() => { measuring = false; });
  }, WATCH_EVERY_MS);
  try {
    const r = await child;
    return Buffer.from(r.stdout);
  } catch (e) {
    const err = e as ExecaError;
    if (overflow !== undefined) throw o.watch!.onTooLarge(overflow);
    if ((err as { code?: string }).code === 'ENOENT') throw new ToolMissingError(o.tool, o.aptPackage, e);
    if (err.isCanceled) throw e;
    if (err.timedOut) throw new ToolTimeoutError(o.label, o.what, timeoutMs);
    if (err.isMaxBuffer && o.onTooLarge) throw o.onTooLarge();
    const tail = Buffer.from((err.stderr as Uint8Array | undefined) ?? []).toString('utf8').trim().split('\n').slice(-3).join(' | ');
    throw new ExtractFailedError(o.label, o.what, tail, { exitCode: err.exitCode });
  } finally {
    if (watcher) clearInterval(watcher);
  }
}
