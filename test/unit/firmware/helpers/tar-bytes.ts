/**
 * Tar archives built byte by byte (POSIX ustar, GNU long names, pax
 * records), so a test can make exactly the entry it needs, including ones
 * GNU tar would refuse to create (`../x`, device nodes without mknod).
 */
export interface TarSpec {
  name: string;
  /** ustar typeflag: '0' file, '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, 'x' pax, 'L' GNU long name. */
  type?: string;
  data?: Buffer | string;
  linkname?: string;
  mode?: number;
  prefix?: string;
  dev?: [number, number];
  gnu?: boolean;
  /** Store this number as the size instead of data's length. */
  sizeOverride?: number;
}

const oct = (n: number, width: number) => n.toString(8).padStart(width - 1, '0') + '\0';

export function tarHeader(s: TarSpec): Buffer {
  const data = Buffer.from(s.data ?? '');
  const h = Buffer.alloc(512);
  h.write(s.name, 0, 100, 'utf8');
  h.write(oct(s.mode ?? (s.type === '5' ? 0o755 : 0o644), 8), 100, 'latin1');
  h.write(oct(0, 8), 108, 'latin1');
  h.write(oct(0, 8), 116, 'latin1');
  h.write(oct(s.sizeOverride ?? data.length, 12), 124, 'latin1');
  h.write(oct(1_700_000_000, 12), 136, 'latin1');
  h.write(s.type ?? '0', 156, 'latin1');
  h.write(s.linkname ?? '', 157, 100, 'utf8');
  h.write(s.gnu ? 'ustar  \0' : 'ustar\x0000', 257, 'latin1');
  if (s.dev) {
    h.write(oct(s.dev[0], 8), 329, 'latin1');
    h.write(oct(s.dev[1], 8), 337, 'latin1');
  }
  if (s.prefix) h.write(s.prefix, 345, 155, 'utf8');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of h) sum += x;
  h.write(oct(sum, 7) + ' ', 148, 'latin1');
  return h;
}

export function tarEntry(s: TarSpec): Buffer {
  const data = Buffer.from(s.data ?? '');
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([tarHeader(s), data, pad]);
}

/** One pax record: "<len> key=value\n", len counting itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
}

export function buildTar(entries: TarSpec[]): Buffer {
  return Buffer.concat([...entries.map(tarEntry), Buffer.alloc(1024)]);
}
