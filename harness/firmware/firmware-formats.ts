import type { FirmwareFormat } from './firmware-format.js';
import { PROBE_BYTES } from './firmware-format.js';
import { squashfsFormat } from './formats/squashfs-format.js';
import { tarRootFormat } from './formats/tar-root-format.js';
import { tplinkV1Format } from './formats/tplink-v1-format.js';
import { tplinkV2Format } from './formats/tplink-v2-format.js';

/**
 * Every format firmlab knows. A new format is one file plus one line here.
 * On equal scores the earlier one wins.
 */
export const FIRMWARE_FORMATS: readonly FirmwareFormat[] = [tplinkV1Format, squashfsFormat, tplinkV2Format, tarRootFormat];

/** The most confident format for these bytes, or undefined when none claims them. */
export function pickFormat(bytes: Uint8Array, formats: readonly FirmwareFormat[] = FIRMWARE_FORMATS): FirmwareFormat | undefined {
  const head = bytes.subarray(0, PROBE_BYTES);
  let best: FirmwareFormat | undefined;
  let bestScore = 0;
  for (const f of formats) {
    const score = f.probe(head);
    if (score > bestScore) [best, bestScore] = [f, score];
  }
  return best;
}
