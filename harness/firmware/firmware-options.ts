import { DEFAULT_MAX_BYTES } from './identify-firmware.js';
import { FirmwareCache, defaultCacheDir } from './firmware-cache.js';

/** What inspect and extract share; env and cwd are injected (tests point the cache at a temp dir). */
export interface FirmwareOptions {
  /** Cap on any part and on the unpacked root. Default 512 MiB. */
  maxBytes?: number;
  /** Unpack even when the vendor checksum is wrong (forensics on damaged images). */
  ignoreChecksum?: boolean;
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** unsquashfs binary (default: from PATH). */
  unsquashfs?: string;
  signal?: AbortSignal;
}

export function resolveFirmwareOptions(o: FirmwareOptions): { maxBytes: number; cache: FirmwareCache } {
  const dir = o.cacheDir ?? defaultCacheDir(o.env ?? process.env, o.cwd ?? process.cwd());
  return { maxBytes: o.maxBytes ?? DEFAULT_MAX_BYTES, cache: new FirmwareCache(dir) };
}
