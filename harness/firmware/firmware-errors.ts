import { FirmlabError } from '../errors.js';
import { formatSignatures, type SignatureHit } from './signature-scan.js';

/**
 * Errors of the firmware module. Each names the file and what is wrong; the
 * codes are stable (scripts and tests match on them), the messages are not.
 */
type Details = Record<string, unknown>;

export class FirmwareNotFoundError extends FirmlabError {
  constructor(file: string, cause?: unknown) {
    super('FIRMLAB_FIRMWARE_NOT_FOUND', `${file}: firmware file not found or not readable`, {
      cause,
      details: { file },
    });
  }
}

/** `found`: what the signature scan saw ("squashfs-xz at 0x120000, ..."), so the user knows what the file holds. */
export class UnknownFormatError extends FirmlabError {
  constructor(file: string, firstBytesHex: string, tried: string[], found: SignatureHit[] = []) {
    const seen = formatSignatures(found);
    super(
      'FIRMLAB_FIRMWARE_UNKNOWN_FORMAT',
      `${file}: not a known firmware format (tried ${tried.join(', ')}); first bytes ${firstBytesHex}; found: ${seen}`,
      { details: { file, firstBytesHex, tried, found } },
    );
  }
}

export class ChecksumError extends FirmlabError {
  constructor(file: string, what: string, expected: string, actual: string) {
    super(
      'FIRMLAB_FIRMWARE_CHECKSUM',
      `${file}: ${what} mismatch: header says ${expected}, computed ${actual}`,
      { details: { file, what, expected, actual } },
    );
  }
}

export class TruncatedError extends FirmlabError {
  constructor(file: string, what: string, needBytes: number, haveBytes: number) {
    super(
      'FIRMLAB_FIRMWARE_TRUNCATED',
      `${file}: truncated: ${what} needs ${needBytes} bytes, the file has ${haveBytes}`,
      { details: { file, what, needBytes, haveBytes } },
    );
  }
}

export class TooLargeError extends FirmlabError {
  constructor(file: string, what: string, bytes: number, maxBytes: number) {
    super(
      'FIRMLAB_FIRMWARE_TOO_LARGE',
      `${file}: ${what} is ${bytes} bytes, over the cap of ${maxBytes} bytes (option maxBytes / --max-bytes)`,
      { details: { file, what, bytes, maxBytes } },
    );
  }
}

export class UnsafePathError extends FirmlabError {
  constructor(file: string, problems: { path: string; reason: string }[], hint = '') {
    const shown = problems.slice(0, 5).map((p) => `${p.path} (${p.reason})`).join('; ');
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    super(
      'FIRMLAB_FIRMWARE_UNSAFE_PATH',
      `${file}: refusing to extract ${problems.length} unsafe entr${problems.length === 1 ? 'y' : 'ies'}: ${shown}${more}${hint}`,
      { details: { file, problems } },
    );
  }
}

/** unsquashfs failed on a part that looked like squashfs (corrupt or unsupported). */
export class ExtractFailedError extends FirmlabError {
  constructor(file: string, what: string, stderrTail: string, details: Details = {}) {
    super('FIRMLAB_FIRMWARE_EXTRACT', `${file}: ${what}: ${stderrTail || 'no output'}`, {
      details: { file, stderrTail, ...details },
    });
  }
}

/** A tool ran past its time cap on this image (a hostile archive that makes it spin): stopped, not waited for. */
export class ToolTimeoutError extends FirmlabError {
  constructor(file: string, what: string, timeoutMs: number) {
    super('FIRMLAB_FIRMWARE_TOOL_TIMEOUT', `${file}: ${what}: stopped after ${Math.round(timeoutMs / 1000)} s (the cap for one tool run on one image)`, {
      details: { file, timeoutMs },
    });
  }
}

export class ToolMissingError extends FirmlabError {
  constructor(tool: string, aptPackage: string, cause?: unknown) {
    super(
      'FIRMLAB_TOOL_MISSING',
      `${tool} not found on PATH; install it with: apt-get install ${aptPackage}`,
      { cause, details: { tool, aptPackage } },
    );
  }
}
