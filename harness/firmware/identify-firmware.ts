import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { FirmwareFile, FirmwareFormat } from './firmware-format.js';
import type { FirmwareImage } from './firmware-image.js';
import { FIRMWARE_FORMATS, pickFormat } from './firmware-formats.js';
import { ChecksumError, FirmwareNotFoundError, TooLargeError, UnknownFormatError } from './firmware-errors.js';
import { scanSignatures } from './signature-scan.js';

/** Default cap on any part and on the unpacked root: 512 MiB. */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

export interface IdentifyOptions {
  maxBytes?: number;
  formats?: readonly FirmwareFormat[];
}

export interface IdentifiedFirmware {
  image: FirmwareImage;
  file: FirmwareFile;
}

/**
 * Reads a firmware file and describes it from its bytes alone: format, header,
 * checksum verdict, parts. Nothing is unpacked and nothing is written.
 */
export async function identifyFirmware(path: string, options: IdentifyOptions = {}): Promise<IdentifiedFirmware> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes: Buffer;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > maxBytes) throw new TooLargeError(path, 'the firmware file', st.size, maxBytes);
    bytes = await readFile(path);
  } catch (e) {
    if (e instanceof TooLargeError) throw e;
    throw new FirmwareNotFoundError(path, e);
  }
  const file: FirmwareFile = { path, bytes };
  return { image: describeFirmware(file, maxBytes, options.formats), file };
}

/** The pure half of identifyFirmware, for bytes already in memory. */
export function describeFirmware(file: FirmwareFile, maxBytes = DEFAULT_MAX_BYTES, formats = FIRMWARE_FORMATS): FirmwareImage {
  const format = pickFormat(file.bytes, formats);
  if (!format) {
    const found = scanSignatures(file.bytes);
    throw new UnknownFormatError(file.path, file.bytes.subarray(0, 16).toString('hex'), formats.map((f) => f.name), found);
  }
  const parsed = format.parse(file, { maxBytes });
  const image: FirmwareImage = {
    path: file.path,
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
    size: file.bytes.length,
    format: format.name,
    checksum: parsed.checksum,
    parts: parsed.parts,
  };
  if (parsed.header) image.header = parsed.header;
  const rootfs = parsed.parts.find((p) => p.kind === 'rootfs');
  if (rootfs) {
    const [type, compression = 'unknown'] = rootfs.type.split('-', 2) as [string, string?];
    image.filesystem = { type, compression };
  }
  if (parsed.kernelVersion !== undefined) image.kernelVersion = parsed.kernelVersion;
  if (parsed.notes && parsed.notes.length > 0) image.notes = [...parsed.notes];
  return image;
}

/** Unpacking a file whose checksum is wrong is refused unless the caller says otherwise. */
export function assertChecksumOk(image: FirmwareImage): void {
  const c = image.checksum;
  if (c.status === 'bad') throw new ChecksumError(image.path, c.algorithm ?? 'checksum', c.expected ?? '?', c.actual ?? '?');
}
