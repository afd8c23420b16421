import type { ListingEntry, SquashfsListing } from './squashfs-listing.js';

/**
 * Decides, from a listing and before anything is written, whether an archive
 * can be unpacked into a directory without touching anything outside it.
 *
 * - problems: entries that would escape (`..`, absolute or empty components,
 *   names that cannot be parsed, duplicates, entries below a symlink, which
 *   would be written through it). Never extracted, whatever the options.
 * - outsideLinks: symlinks whose target leaves the root as the host sees it
 *   (absolute, or climbing above the root). Harmless while nobody follows
 *   them, but a host tool that does would read or write host files; extract
 *   refuses them unless the caller allows them (--allow-outside-links).
 * - devices: char/block/fifo/socket nodes, skipped (never created on the host).
 * - hard links (tar only) must point at a regular file listed before them.
 */
export interface PathSafetyReport {
  problems: { path: string; reason: string }[];
  outsideLinks: { path: string; target: string }[];
  devices: string[];
  unpackedBytes: number;
  entries: number;
}

export function checkListing(listing: SquashfsListing): PathSafetyReport {
  const report: PathSafetyReport = { problems: [], outsideLinks: [], devices: [], unpackedBytes: 0, entries: listing.entries.length };
  for (const line of listing.unparsed) report.problems.push({ path: JSON.stringify(line), reason: 'unparseable listing line (name with a newline?)' });
  const seen = new Set<string>();
  const links = new Set<string>();
  const files = new Set<string>();
  for (const e of listing.entries) {
    const bad = pathProblem(e.path);
    if (bad) report.problems.push({ path: e.path, reason: bad });
    else if (seen.has(e.path)) report.problems.push({ path: e.path, reason: 'duplicate entry' });
    seen.add(e.path);
    const viaLink = ancestors(e.path).find((a) => links.has(a));
    if (viaLink !== undefined) report.problems.push({ path: e.path, reason: `would be written through the symlink ${viaLink}` });
    if (e.type === 'symlink') {
      links.add(e.path);
      checkLink(e, report);
    } else if (e.type === 'hardlink') checkHardlink(e, files, links, report);
    else if (e.type === 'file') {
      report.unpackedBytes += e.size;
      files.add(e.path);
    } else if (e.type !== 'dir') report.devices.push(e.path);
  }
  return report;
}

/**
 * A hard link (tar) may only name a regular file listed before it, by a safe
 * path not below a symlink: anything else would link a host file into the tree.
 */
function checkHardlink(e: ListingEntry, files: Set<string>, links: Set<string>, report: PathSafetyReport): void {
  const target = e.target ?? '';
  const bad = target === '' ? 'empty hard link target' : pathProblem(target);
  if (bad) report.problems.push({ path: e.path, reason: `hard link to ${JSON.stringify(target)}: ${bad}` });
  else if ([target, ...ancestors(target)].some((a) => links.has(a))) report.problems.push({ path: e.path, reason: `hard link to ${target} goes through a symlink` });
  else if (!files.has(target)) report.problems.push({ path: e.path, reason: `hard link to ${target}, which is not a regular file listed before it` });
}

function checkLink(e: ListingEntry, report: PathSafetyReport): void {
  const target = e.target ?? '';
  if (e.ambiguous) report.problems.push({ path: e.path, reason: 'symlink name or target contains " -> "' });
  else if (target === '' || target.includes('\0')) report.problems.push({ path: e.path, reason: 'empty or invalid symlink target' });
  else if (target.startsWith('/')) report.outsideLinks.push({ path: e.path, target });
  else if (climbsOut(e.path, target)) report.outsideLinks.push({ path: e.path, target });
}

/** Why a listed path could land outside the root, or undefined when it cannot. */
export function pathProblem(path: string): string | undefined {
  if (path === '') return undefined;
  if (path.includes('\0')) return 'NUL in name';
  if (path.startsWith('/')) return 'absolute path';
  const parts = path.split('/');
  if (parts.some((p) => p === '..')) return 'path escapes the root (..)';
  if (parts.some((p) => p === '' || p === '.')) return 'empty or . path component';
  return undefined;
}

/** True when a relative target, resolved lexically from the link's directory, goes above the root. */
export function climbsOut(linkPath: string, target: string): boolean {
  const dir = linkPath.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (dir.length === 0) return true;
      dir.pop();
    } else dir.push(part);
  }
  return false;
}

function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
