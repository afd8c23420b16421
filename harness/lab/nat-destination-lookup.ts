import { originalDestinationOf, type FlowEndpoint, type NatEntry } from '../emulator/nat-entries.js';

export interface NatDestinationLookupOptions {
  /** A cached answer is trusted this long (a client port is rarely reused that fast). Default 5 s. */
  maxAgeMs?: number;
  /**
   * Reads start at least this far apart (default 0). Each new DNS flow misses
   * the cache, so a query storm would otherwise mean back-to-back `docker
   * exec`s on a machine whose cores run the guests; lookups wait instead.
   */
  minIntervalMs?: number;
  now?: () => number;
}

type Flow = { transport: 'tcp' | 'udp'; client: FlowEndpoint; local?: FlowEndpoint };

/**
 * The recorder's and the sinkhole's `originalDestination` hook: reads the emulator container's
 * conntrack table (one `docker exec`, ~100 ms) and answers from a cache, so a
 * burst of datagrams or connections costs one read. Reads are coalesced: a
 * flow that arrives while a read is running waits for the next one, which
 * starts after it and so sees its entry.
 */
export class NatDestinationLookup {
  private table: { entries: NatEntry[]; atMs: number } | undefined;
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readonly maxAgeMs: number;
  private readonly minIntervalMs: number;
  private lastStartMs = -Infinity;
  private readonly now: () => number;
  /** conntrack reads so far (for tests and the benchmark). */
  reads = 0;

  constructor(private readonly read: () => Promise<NatEntry[]>, opts: NatDestinationLookupOptions = {}) {
    this.maxAgeMs = opts.maxAgeMs ?? 5000;
    this.minIntervalMs = opts.minIntervalMs ?? 0;
    this.now = opts.now ?? Date.now;
  }

  /** Bound, so it can be handed to `Sinkhole.start({ originalDestination })` as is. */
  readonly lookup = async (flow: Flow): Promise<FlowEndpoint | undefined> => {
    const t = this.table;
    if (t && this.now() - t.atMs <= this.maxAgeMs) {
      const hit = originalDestinationOf(t.entries, flow);
      if (hit) return hit;
    }
    await this.refresh();
    return this.table ? originalDestinationOf(this.table.entries, flow) : undefined;
  };

  /** Resolves after a read that started no earlier than this call. */
  private refresh(): Promise<void> {
    if (!this.inFlight) {
      this.reads++;
      const pause = this.lastStartMs + this.minIntervalMs - this.now();
      this.inFlight = (pause > 0 ? new Promise((r) => setTimeout(r, pause)) : Promise.resolve())
        .then(() => { this.lastStartMs = this.now(); return this.read(); })
        .then((entries) => { this.table = { entries, atMs: this.lastStartMs }; })
        .finally(() => { this.inFlight = undefined; });
      return this.inFlight;
    }
    this.queued ??= this.inFlight.catch(() => undefined).then(() => {
      this.queued = undefined;
      return this.refresh();
    });
    return this.queued;
  }
}
