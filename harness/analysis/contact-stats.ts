import type { DnsQuery } from './analysis-input.js';
import type { EgressStats } from './egress-stats.js';
import { tally } from './tally.js';
import { isProbeName } from './window-liveness.js';
import { inSpans, type ResolvedWindow } from './window-catalog.js';

/** Every name one build asked for in one window (the lab's own probes left out), most asked first. */
export interface WindowNames {
  readonly build: string;
  readonly window: string;
  readonly names: readonly {
    readonly name: string;
    readonly count: number;
    /** Query types asked, e.g. `A x12, AAAA x12`. */
    readonly types: string;
    /** What the lab answered, e.g. `NOERROR x23, dropped x1`. */
    readonly rcodes: string;
  }[];
}

export function windowNames(queries: readonly DnsQuery[], window: ResolvedWindow): WindowNames {
  const inWindow = queries.filter((q) => inSpans(q.atMs, window.spans) && !isProbeName(q.name));
  const list = (keys: string[]) => tally(keys).map(({ key, count }) => `${key} x${count}`).join(', ');
  return {
    build: window.build,
    window: window.window,
    names: tally(inWindow.map((q) => q.name)).map(({ key, count }) => {
      const mine = inWindow.filter((q) => q.name === key);
      return { name: key, count, types: list(mine.map((q) => q.type)), rcodes: list(mine.map((q) => q.response?.rcode ?? 'dropped')) };
    }),
  };
}

/**
 * What a release reviewer wants to see first: the names and destinations
 * the new build contacted in a window that the old build did not contact in
 * the window of the same name (per model: `archer-ax55v1/new` against
 * `archer-ax55v1/old`).
 */
export interface NewContacts {
  readonly old: string;
  readonly new: string;
  readonly window: string;
  readonly names: readonly string[];
  readonly destinations: readonly string[];
}

export function newContacts(names: readonly WindowNames[], egress: readonly EgressStats[]): NewContacts[] {
  const out: NewContacts[] = [];
  for (const mine of names.filter((n) => n.build === 'new' || n.build.endsWith('/new'))) {
    const oldBuild = `${mine.build.slice(0, -'new'.length)}old`;
    const theirs = names.find((n) => n.build === oldBuild && n.window === mine.window);
    if (!theirs) continue;
    const known = new Set(theirs.names.map((n) => n.name));
    const dest = (b: string) => egress.find((e) => e.build === b && e.window === mine.window)?.destinations.map((d) => d.destination) ?? [];
    const knownDest = new Set(dest(oldBuild));
    const names_ = mine.names.map((n) => n.name).filter((n) => !known.has(n));
    const destinations = dest(mine.build).filter((d) => !knownDest.has(d));
    if (names_.length + destinations.length > 0) out.push({ old: oldBuild, new: mine.build, window: mine.window, names: names_, destinations });
  }
  return out;
}
