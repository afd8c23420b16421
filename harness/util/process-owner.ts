import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * The process that owns a session's containers and networks, written into
 * their labels, so that a later firmlab start can tell an orphan (its owner
 * was killed: SIGKILL, a cancelled CI job, a crashed machine) from the
 * objects of another live run on the same machine (issue #14). A pid alone
 * can be reused: the owner is the pid with its start time (clock ticks since
 * boot, /proc/<pid>/stat field 22) in one boot of one host.
 */
export interface ProcessOwner {
  host: string;
  bootId: string;
  pid: number;
  /** /proc/<pid>/stat's starttime. */
  start: string;
  /**
   * FIRMLAB_OWNER_TAG: a name the caller gives every object its runs make
   * (a CI job, a test suite), so it can find its own among other live runs'.
   */
  tag?: string;
}

export const OWNER_LABEL = {
  host: 'firmlab.owner.host',
  boot: 'firmlab.owner.boot',
  pid: 'firmlab.owner.pid',
  start: 'firmlab.owner.start',
  tag: 'firmlab.owner.tag',
} as const;

/** The start time of a process as /proc tells it; undefined when there is no such process. */
export function processStart(pid: number, readText: (path: string) => string = (p) => readFileSync(p, 'utf8')): string | undefined {
  let stat: string;
  try {
    stat = readText(`/proc/${pid}/stat`);
  } catch {
    return undefined;
  }
  // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so count from the last `)`.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19]; // field 22 overall; fields[0] here is field 3 (state)
}

let current: ProcessOwner | undefined;

/** This process as an owner (read once). */
export function currentOwner(): ProcessOwner {
  current ??= {
    host: hostname(),
    bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
    pid: process.pid,
    start: processStart(process.pid) ?? '0',
  };
  const tag = process.env.FIRMLAB_OWNER_TAG;
  if (tag !== undefined && tag !== '') {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(tag)) throw new TypeError(`FIRMLAB_OWNER_TAG must be letters, digits, '.', '_' or '-', not ${JSON.stringify(tag)}`);
    current.tag = tag;
  }
  return current;
}

export function ownerLabels(o: ProcessOwner): Record<string, string> {
  return {
    [OWNER_LABEL.host]: o.host, [OWNER_LABEL.boot]: o.bootId, [OWNER_LABEL.pid]: String(o.pid), [OWNER_LABEL.start]: o.start,
    ...(o.tag !== undefined && { [OWNER_LABEL.tag]: o.tag }),
  };
}

/**
 * Whether the owner named in `labels` is gone, seen from `here`: `false`
 * while it runs, `undefined` when it cannot be told (no owner labels: an
 * object of an older firmlab, left to `gc`; another host sharing the engine).
 * On this host, another boot means gone; in this boot, a pid with another
 * start time (or none) means gone.
 */
export function ownerGone(labels: Record<string, string>, here: ProcessOwner, startOf: (pid: number) => string | undefined = processStart): boolean | undefined {
  const host = labels[OWNER_LABEL.host];
  const boot = labels[OWNER_LABEL.boot];
  const pid = Number(labels[OWNER_LABEL.pid]);
  const start = labels[OWNER_LABEL.start];
  if (host === undefined || boot === undefined || start === undefined || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (host !== here.host) return undefined;
  if (boot !== here.bootId) return true;
  return startOf(pid) !== start;
}
