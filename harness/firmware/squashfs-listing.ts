/**
 * Parses `unsquashfs -lln -UTC -d <root>` output (squashfs-tools 4.x, one
 * `ls -l`-like line per entry). Pure, so the safety rules are unit-testable
 * on hand-written listings.
 */
export type EntryType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket' | 'hardlink';

export interface ListingEntry {
  /** Relative to the filesystem root, '' for the root itself, '/' separated. */
  path: string;
  type: EntryType;
  mode: string;
  size: number;
  /** Symlink target as stored; for a hard link (tar only), the path it links to. */
  target?: string;
  /** A symlink line with more than one ' -> ': name and target cannot be told apart. */
  ambiguous?: boolean;
}

export interface SquashfsListing {
  entries: ListingEntry[];
  /** Lines that are not entries (a name holding a newline splits into these). */
  unparsed: string[];
}

const TYPES: Record<string, EntryType> = { '-': 'file', d: 'dir', l: 'symlink', c: 'char', b: 'block', p: 'fifo', s: 'socket' };
const LINE = /^([-dlcbps])([-rwxsStT]{9}) \S+\/\S+ +(\d+|\d+, *\d+) \d{4}-\d{2}-\d{2} \d{2}:\d{2} (.*)$/;
const ARROW = ' -> ';

export function parseSquashfsListing(text: string, rootName: string): SquashfsListing {
  const entries: ListingEntry[] = [];
  const unparsed: string[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const m = LINE.exec(line);
    const rest = m?.[4];
    if (!m || rest === undefined || !(rest === rootName || rest.startsWith(`${rootName}/`))) {
      unparsed.push(line);
      continue;
    }
    const type = TYPES[m[1]!]!;
    const size = /,/.test(m[3]!) ? 0 : Number(m[3]);
    const body = rest.slice(rootName.length + 1);
    const entry: ListingEntry = { path: body, type, mode: m[1]! + m[2]!, size };
    if (type === 'symlink') {
      const at = body.indexOf(ARROW);
      if (at === -1) {
        unparsed.push(line);
        continue;
      }
      entry.path = body.slice(0, at);
      entry.target = body.slice(at + ARROW.length);
      if (entry.target.includes(ARROW)) entry.ambiguous = true;
    }
    entries.push(entry);
  }
  return { entries, unparsed };
}
