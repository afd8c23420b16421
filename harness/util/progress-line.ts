import type { Writable } from 'node:stream';

/**
 * Progress of a long step (an image or kernel build: thousands of lines).
 * On a terminal one status line is rewritten in place, cut to the width;
 * in CI (`CI` set) or into a file or pipe, every line is printed as it is,
 * so logs keep everything. `end()` leaves the last status as a plain line.
 */
export interface ProgressLine {
  (line: string): void;
  end(final?: string): void;
}

export function progressLine(out: Writable, prefix: string, env: NodeJS.ProcessEnv = process.env): ProgressLine {
  const tty = (out as Writable & { isTTY?: boolean; columns?: number });
  const live = tty.isTTY === true && !env.CI;
  let shown = false;
  const write = ((line: string) => {
    const text = `${prefix} ${line.replace(/[\r\n\t]+/g, ' ').trimEnd()}`;
    if (!live) {
      out.write(`${text}\n`);
      return;
    }
    const width = Math.max(20, (tty.columns ?? 80) - 1);
    out.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    shown = true;
  }) as ProgressLine;
  write.end = (final?: string) => {
    if (live && shown) out.write('\r\x1b[2K');
    if (final !== undefined) out.write(`${prefix} ${final}\n`);
    shown = false;
  };
  return write;
}
