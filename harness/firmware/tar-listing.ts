import type { EntryType, ListingEntry, SquashfsListing } from './squashfs-listing.js';

/**
 * Lists a tar archive from its bytes (POSIX ustar, pax `x` records, GNU
 * `L`/`K` long names), in the same shape as an unsquashfs listing so one set
 * of path-safety rules judges both. Parsed here rather than from `tar -tv`
 * output, whose quoting makes names with ' -> ' or newlines ambiguous.
 * Anything it does not understand (bad checksum, sparse or multi-volume
 * entries, a cut archive) lands in `unparsed`, which refuses the archive.
 */
export interface TarEntry extends ListingEntry {
  /** Byte range in the archive, its pax / GNU long-name headers included. */
  start: number;
  end: number;
  /** Permission bits (the mode's low 12 bits). */
  perm?: number;
  devMajor?: number;
  devMinor?: number;
}

export interface TarListing extends SquashfsListing {
  entries: TarEntry[];
  /** Set when an entry runs past the end of the bytes: the archive was cut. */
  truncated?: { needBytes: number; haveBytes: number };
}

const BLOCK = 512;
const TYPES: Record<string, EntryType> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo' };
const MODE_CHAR: Record<EntryType, string> = { file: '-', hardlink: 'h', symlink: 'l', char: 'c', block: 'b', dir: 'd', fifo: 'p', socket: 's' };

export function parseTarListing(b: Buffer): TarListing {
  const out: TarListing = { entries: [], unparsed: [] };
  let pending: { path?: string; linkpath?: string; size?: number; start?: number } = {};
  for (let pos = 0; pos + BLOCK <= b.length; ) {
    const h = b.subarray(pos, pos + BLOCK);
    if (h.every((x) => x === 0)) return out;
    if (octal(h, 148, 8) !== checksum(h)) return fail(out, `header at offset ${pos}: bad checksum`);
    const flag = String.fromCharCode(h[156]!);
    const ext = flag === 'x' || flag === 'L' || flag === 'K';
    // A pax size overrides the next entry's header, never an extension header's own.
    const size = ext ? octal(h, 124, 12) : pending.size ?? octal(h, 124, 12);
    const dataEnd = pos + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (!Number.isSafeInteger(size)) return fail(out, `entry at offset ${pos}: unreadable size`);
    if (dataEnd > b.length) {
      out.truncated = { needBytes: dataEnd, haveBytes: b.length };
      return fail(out, `entry at offset ${pos}: archive cut short`);
    }
    const data = b.subarray(pos + BLOCK, pos + BLOCK + size);
    const start = pending.start ?? pos;
    if (ext) {
      pending = { ...pending, ...extension(flag, data), start };
    } else if (flag === 'g') {
      // Global pax records (comments, mtimes) change no names here.
    } else {
      const type = TYPES[flag];
      const path = normalize(pending.path ?? ustarName(h));
      if (!type) return fail(out, `${JSON.stringify(path)}: unsupported tar entry type '${flag}'`);
      const perm = octal(h, 100, 8) & 0o7777;
      const e: TarEntry = { path, type, mode: MODE_CHAR[type] + modeBits(perm), perm, size: type === 'file' ? size : 0, start, end: dataEnd };
      if (type === 'symlink') e.target = pending.linkpath ?? cstr(h, 157, 100);
      if (type === 'hardlink') e.target = normalize(pending.linkpath ?? cstr(h, 157, 100));
      if (type === 'char' || type === 'block') Object.assign(e, { devMajor: octal(h, 329, 8), devMinor: octal(h, 337, 8) });
      out.entries.push(e);
      pending = {};
    }
    pos = dataEnd;
  }
  return out;
}

/** The archive with only the entries `keep` accepts (their extension headers too), and a proper end. */
export function filterTar(b: Buffer, listing: TarListing, keep: (e: TarEntry) => boolean): Buffer {
  const kept = listing.entries.filter(keep).map((e) => b.subarray(e.start, e.end));
  return Buffer.concat([...kept, Buffer.alloc(2 * BLOCK)]);
}

function fail(out: TarListing, why: string): TarListing {
  out.unparsed.push(why);
  return out;
}

function extension(flag: string, data: Buffer): { path?: string; linkpath?: string; size?: number } {
  if (flag === 'L') return { path: cstr(data, 0, data.length) };
  if (flag === 'K') return { linkpath: cstr(data, 0, data.length) };
  // pax: "<len> <key>=<value>\n" records (POSIX.1-2008 pax, extended header).
  const r: { path?: string; linkpath?: string; size?: number } = {};
  for (let at = 0; at < data.length; ) {
    const sp = data.indexOf(0x20, at);
    const len = sp === -1 ? NaN : Number(data.subarray(at, sp).toString('latin1'));
    if (!Number.isSafeInteger(len) || len <= 0) break;
    const rec = data.subarray(sp + 1, at + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    const [key, value] = [rec.slice(0, eq), rec.slice(eq + 1)];
    if (key === 'path') r.path = value;
    else if (key === 'linkpath') r.linkpath = value;
    else if (key === 'size') r.size = Number(value);
    at += len;
  }
  return r;
}

/** ustar splits long names into prefix (345, 155) and name; GNU's "ustar  " headers use 345 for other things. */
function ustarName(h: Buffer): string {
  const name = cstr(h, 0, 100);
  const posix = h.subarray(257, 263).toString('latin1') === 'ustar\0';
  const prefix = posix ? cstr(h, 345, 155) : '';
  return prefix === '' ? name : `${prefix}/${name}`;
}

/** './etc/' -> 'etc', '.' -> '' (the root); absolute and '..' names are left for path-safety to refuse. */
function normalize(p: string): string {
  let s = p;
  while (s.startsWith('./')) s = s.slice(2);
  if (s === '.') s = '';
  while (s.endsWith('/') && s.length > 1) s = s.slice(0, -1);
  return s;
}

function cstr(b: Buffer, o: number, n: number): string {
  const f = b.subarray(o, o + n);
  const end = f.indexOf(0);
  return f.subarray(0, end === -1 ? f.length : end).toString('utf8');
}

/** Octal, NUL/space padded; or GNU base-256 when the top bit of the first byte is set. */
function octal(b: Buffer, o: number, n: number): number {
  const f = b.subarray(o, o + n);
  if (f[0]! & 0x80) return f.subarray(1).reduce((acc, x) => acc * 256 + x, f[0]! & 0x7f);
  const text = f.toString('latin1').replace(/[\0 ]+$/g, '').trim();
  return text === '' ? 0 : /^[0-7]+$/.test(text) ? parseInt(text, 8) : NaN;
}

function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum;
}

function modeBits(mode: number): string {
  const rwx = (v: number) => `${v & 4 ? 'r' : '-'}${v & 2 ? 'w' : '-'}${v & 1 ? 'x' : '-'}`;
  return rwx(mode >> 6) + rwx(mode >> 3) + rwx(mode);
}
