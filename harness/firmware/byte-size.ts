import { UsageError } from '../errors.js';

/** `--max-bytes` values: a byte count, or with a binary suffix (`512M`, `2G`, `64K`). */
const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

export function parseByteSize(text: string, option = '--max-bytes'): number {
  const m = /^(\d+)\s*([KMG]?)(?:i?B)?$/i.exec(text.trim());
  const n = m ? Number(m[1]) * UNITS[m[2]!.toUpperCase()]! : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`${option} expects a positive size like 536870912, 512M or 2G; got ${JSON.stringify(text)}`);
  }
  return n;
}
