/** The firmware module's public face: identify, inspect, extract, and the data they return. */
export type { FirmwareImage, FirmwarePart, FirmwareHeader, ChecksumVerdict, CpuArch, FilesystemInfo, UserlandInfo, LibcName, InitName } from './firmware-image.js';
export type { FirmwareFormat, FirmwareFile, ParsedFirmware } from './firmware-format.js';
export { FIRMWARE_FORMATS, pickFormat } from './firmware-formats.js';
export { identifyFirmware, describeFirmware, DEFAULT_MAX_BYTES } from './identify-firmware.js';
export { inspectFirmware, type InspectResult } from './inspect-firmware.js';
export { extractFirmware, type ExtractOptions, type ExtractResult } from './extract-firmware.js';
export type { FirmwareOptions } from './firmware-options.js';
export { FirmwareCache, defaultCacheDir, CACHE_FORMAT } from './firmware-cache.js';
export { scanSignatures, formatSignatures, type SignatureHit } from './signature-scan.js';
export { formatFirmwareImage } from './format-firmware-image.js';
export { parseByteSize } from './byte-size.js';
export * from './firmware-errors.js';
