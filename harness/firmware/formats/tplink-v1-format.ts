import type { FirmwareFile, FirmwareFormat, ParseOptions, ParsedFirmware } from '../firmware-format.js';
import type { FirmwarePart, PartKind } from '../firmware-image.js';
import { TruncatedError } from '../firmware-errors.js';
import { detectPartType } from '../part-type.js';
import { kernelVersionFromBytes, kernelVersionFromName } from '../kernel-version.js';
import { checkPartBounds } from './part-bounds.js';
import { TPLINK_V1_HEADER_SIZE, TPLINK_V1_VERSION, parseTplinkV1Header } from './tplink-v1-header.js';
import { computeTplinkMd5, storedTplinkMd5 } from './tplink-v1-md5.js';
import { parseUImageHeader } from './uimage-header.js';

/** TP-Link header v1 (mktplinkfw): kernel, rootfs and optional bootloader parts. */
export const tplinkV1Format: FirmwareFormat = {
  name: 'tplink-v1',

  probe(head) {
    if (head.length < 4) return 0;
    const b = Buffer.from(head.buffer, head.byteOffset, head.length);
    if (b.readUInt32BE(0) !== TPLINK_V1_VERSION) return 0;
    // A printable vendor name makes a coincidental 01 00 00 00 unlikely.
    const vendor = b.subarray(4, Math.min(b.length, 28));
    const printable = vendor.length > 0 && vendor[0]! >= 0x20 && vendor[0]! < 0x7f;
    return printable ? 0.9 : 0.5;
  },

  parse(file: FirmwareFile, { maxBytes }: ParseOptions): ParsedFirmware {
    const b = file.bytes;
    if (b.length < TPLINK_V1_HEADER_SIZE) {
      throw new TruncatedError(file.path, 'the TP-Link v1 header', TPLINK_V1_HEADER_SIZE, b.length);
    }
    const header = parseTplinkV1Header(b);
    if (header.fwLength < TPLINK_V1_HEADER_SIZE) {
      throw new TruncatedError(file.path, `fw_length (${header.fwLength}) cannot hold the header`, TPLINK_V1_HEADER_SIZE, header.fwLength);
    }
    const declared: [PartKind, string, number, number][] = [
      ['kernel', 'kernel part', header.kernelOffset, header.kernelLength],
      ['rootfs', 'rootfs part', header.rootfsOffset, header.rootfsLength],
      ['bootloader', 'bootloader part', header.bootOffset, header.bootLength],
    ];
    // Size cap first: a 4 GiB length is reported as too large, not as truncated.
    for (const [, what, ofs, len] of declared) if (len > 0) checkPartBounds(file.path, what, ofs, len, Infinity, maxBytes);
    if (header.fwLength > b.length) throw new TruncatedError(file.path, 'fw_length', header.fwLength, b.length);
    for (const [, what, ofs, len] of declared) if (len > 0) checkPartBounds(file.path, what, ofs, len, header.fwLength, maxBytes);

    const expected = storedTplinkMd5(b).toString('hex');
    const actual = computeTplinkMd5(b, header.fwLength).toString('hex');
    const parts: FirmwarePart[] = [];
    let kernelVersion: string | undefined;
    for (const [kind, , offset, length] of declared) {
      if (length === 0) continue;
      const bytes = b.subarray(offset, offset + length);
      const part: FirmwarePart = { kind, offset, length, type: detectPartType(bytes) };
      if (part.type === 'uimage') {
        const u = parseUImageHeader(bytes);
        if (u) part.details = { ...u };
        if (kind === 'kernel' && u) kernelVersion = kernelVersionFromName(u.name);
      }
      if (kind === 'kernel' && kernelVersion === undefined) kernelVersion = kernelVersionFromBytes(bytes);
      parts.push(part);
    }
    const parsed: ParsedFirmware = {
      header,
      checksum: { status: expected === actual ? 'ok' : 'bad', algorithm: 'md5 (mktplinkfw salt)', expected, actual },
      parts,
    };
    if (kernelVersion !== undefined) parsed.kernelVersion = kernelVersion;
    return parsed;
  },
};
