import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DnsRecorder, type DnsRule } from '../dns/index.js';
import { Sinkhole } from '../egress/index.js';
import type { DockerEngine, LabNetwork } from '../engine/index.js';
import { BootStrategy, type BootReadiness, type BootStrategyOptions } from '../emulator/boot-strategy.js';
import type { KernelEntry } from '../emulator/arch-table.js';
import { trunkVlans, type GuestLayout } from '../emulator/guest-layout.js';
import { LAB_WIRING } from '../emulator/lab-wiring.js';
import { EmulatorContainer, type EmulatorContainerSpec } from '../emulator/emulator-container.js';
import type { Console } from '../emulator/console.js';
import { fileSha256, snapshotKey, type Snapshot, type SnapshotStore } from './snapshot-store.js';
import type { EgressCounters, Ipv6Counters } from '../emulator/egress-counters.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import { readIpv6Capture, type Ipv6Records } from './ipv6-capture.js';
import { NatDestinationLookup } from './nat-destination-lookup.js';

/** What the lab counted and dropped instead of recording: IPv4 the sinkhole did not take, and all IPv6. */
export interface BlockedEgress {
  ipv4?: EgressCounters;
  ipv6?: Ipv6Counters;
}

/** A passive description of one router under test and its sealed surroundings. */
export interface LabSpec {
  session: string;
  /** This lab's run id inside the session, e.g. `old` or `archer-ax55v1-new`. */
  run: string;
  /** Kept after the lab is gone: console.log, wan.pcap, dns.jsonl, dns.dnstap, egress.jsonl, ipv6.jsonl (when the guest sent IPv6), run.json. */
  runDir: string;
  /** The firmware's carved squashfs root (the guest's /dev/vda). */
  rootfsImage: string;
  kernel: KernelEntry;
  /** What the firmware gets from the lab (from its device profile); the fixture's when absent. */
  layout?: GuestLayout;
  /** What ready means for this firmware (its profile's readiness); the boot strategy's default when absent. */
  ready?: BootReadiness;
  emulatorImage: string;
  rules: readonly DnsRule[];
  /** Hand non-DNS egress to a sinkhole that records it; without it, it is counted and dropped in the container. */
  sinkhole?: boolean;
  /** What the firmware is, for run.json. */
  firmware?: Record<string, unknown>;
  now?: () => number;
  seed?: number;
  /**
   * Ready routers saved and restored (issue #12). `auto`: restore this build's
   * snapshot when there is a sound one, else boot and save one once ready;
   * `cold`: boot (the scenario must see the real boot), and save when there is
   * none. Absent: boot, save nothing.
   */
  snapshot?: { store: SnapshotStore; mode: 'auto' | 'cold' };
  /** A console command run after a restore ({epoch}: the host's time in seconds): the profile's clock and lease refresh. */
  afterRestore?: string;
}

/** One line on what a lab did with its snapshot, for `firmlab boot` and the boot step's progress. */
export function snapshotText(s: SnapshotUse): string {
  const what = s.restored ? 'restored (no boot)' : s.saved ? `saved once ready (guest stopped ${s.saved.pausedMs} ms, ${(s.saved.bytes / 2 ** 20).toFixed(0)} MiB)` : 'booted';
  return `${s.key.slice(0, 12)} ${what}${s.note ? `; ${s.note}` : ''}`;
}

/** What the lab did with snapshots, for run.json and reports. */
export interface SnapshotUse {
  key: string;
  mode: 'auto' | 'cold';
  /** This lab's router came from the snapshot (no boot). */
  restored: boolean;
  /** Saved one once ready, with how long the guest was stopped for it. */
  saved?: { pausedMs: number; bytes: number };
  /** Why a snapshot was not used or not saved (it would not load, it could not be written). */
  note?: string;
}

/**
 * One Lab = an internal network + the DNS recorder (and sinkhole) on its
 * gateway + the emulator container. `Lab.up` builds it, `down` (or
 * `await using`) removes every Docker object and keeps the run directory.
 */
export class Lab implements AsyncDisposable {
  private downed: Promise<void> | undefined;
  /** Counted-and-dropped egress, read when the lab goes down. */
  blocked: BlockedEgress | undefined;
  /** What the guest sent over IPv6 (from wan.pcap), once the lab is down. */
  ipv6: Ipv6Records = { dns: [], egress: [] };
  private bootStrategy: BootStrategy;
  private container: EmulatorContainer;
  /** Set when the spec asks for snapshots. */
  snapshot: SnapshotUse | undefined;
  private snapshotInputs: Record<string, unknown> | undefined;
  /** The after-restore console command, still running. */
  private chores: Promise<void> = Promise.resolve();

  private constructor(
    private readonly engine: DockerEngine,
    readonly spec: LabSpec,
    readonly network: LabNetwork,
    readonly recorder: DnsRecorder,
    readonly sinkhole: Sinkhole | undefined,
    emulator: EmulatorContainer,
    private readonly emulatorSpec: EmulatorContainerSpec,
    private readonly bootOptions: BootStrategyOptions,
  ) {
    this.container = emulator;
    this.bootStrategy = new BootStrategy(emulator, bootOptions);
  }

  get emulator(): EmulatorContainer {
    return this.container;
  }

  get boot(): BootStrategy {
    return this.bootStrategy;
  }

  static async up(engine: DockerEngine, spec: LabSpec, bootOptions: BootStrategyOptions = {}): Promise<Lab> {
    const runDir = resolve(spec.runDir);
    await mkdir(runDir, { recursive: true });
    const now = spec.now ?? Date.now;
    const created: AsyncDisposable[] = [];
    try {
      const network = await engine.createNetwork({ session: spec.session, run: spec.run });
      created.push(network);
      // The container DNATs the guest's flows to the recorder and the sinkhole,
      // so each only sees its own address; the container's conntrack knows the
      // real destination. Bound late: the container does not exist yet.
      let nat: NatDestinationLookup | undefined;
      // The recorder listens on the host's side of the lab bridge: reachable from
      // the emulator container, from nothing outside the lab. Its second
      // listener takes only what the guest sent to its gateway, the resolver
      // its lease names: where those went is known without a conntrack read.
      const toGateway = { address: LAB_WIRING.wanGateway, port: 53 };
      let gatewayListener: { host: string; port: number } | undefined;
      const recorder = await DnsRecorder.start({
        listen: [{ host: network.gateway, port: 0 }, { host: network.gateway, port: 0 }], rules: spec.rules, now, seed: spec.seed,
        logFile: join(runDir, 'dns.jsonl'), dnstapFile: join(runDir, 'dns.dnstap'),
        originalDestination: (flow) => flow.local.port === gatewayListener?.port ? toGateway : nat?.lookup(flow),
      });
      gatewayListener = recorder.addresses()[1];
      created.push(recorder);
      let sinkhole: Sinkhole | undefined;
      if (spec.sinkhole) {
        sinkhole = await Sinkhole.start({
          listen: [{ host: network.gateway, port: 0 }], now, logFile: join(runDir, 'egress.jsonl'),
          originalDestination: (flow) => nat?.lookup(flow),
        });
        created.push(sinkhole);
      }
      const rec = recorder.addresses()[0]!;
      const sink = sinkhole?.addresses()[0];
      const emulatorSpec: EmulatorContainerSpec = {
        image: spec.emulatorImage,
        owner: { session: spec.session, run: spec.run },
        network: { name: network.name },
        runDir,
        rootfsImage: spec.rootfsImage,
        kernel: spec.kernel,
        layout: spec.layout,
        recorder: `${rec.host}:${rec.port}`,
        gatewayRecorder: `${gatewayListener!.host}:${gatewayListener!.port}`,
        sinkhole: sink ? `${sink.host}:${sink.port}` : undefined,
      };
      const snap = spec.snapshot ? await Lab.findSnapshot(spec, emulatorSpec) : undefined;
      if (snap?.found?.flashFile !== undefined) await copyFile(snap.found.flashFile, join(runDir, 'config.img'));
      const emulator = await EmulatorContainer.create(engine, { ...emulatorSpec, ...(snap?.found && { incomingState: snap.found.stateFile }) });
      created.push(emulator);
      const lab = new Lab(engine, { ...spec, runDir }, network, recorder, sinkhole, emulator, emulatorSpec, { now, ready: spec.ready, ...bootOptions });
      if (snap) {
        lab.snapshot = { key: snap.key, mode: spec.snapshot!.mode, restored: snap.found !== undefined };
        lab.snapshotInputs = snap.inputs;
      }
      // At most one conntrack read a second per lab: lookups wait, answers never do.
      nat = new NatDestinationLookup(() => lab.emulator.natEntries(), { now, minIntervalMs: 1000 });
      await lab.writeRunJson({ state: 'up' });
      return lab;
    } catch (e) {
      for (const c of created.reverse()) await Promise.resolve(c[Symbol.asyncDispose]()).catch(() => undefined);
      throw e;
    }
  }

  get runDir(): string {
    return this.spec.runDir;
  }

  /** The key of this build's booted state and, in `auto` mode, a sound snapshot of it. */
  private static async findSnapshot(spec: LabSpec, emulatorSpec: EmulatorContainerSpec): Promise<{ key: string; inputs: Record<string, unknown>; found?: Snapshot }> {
    const { argv, env } = EmulatorContainer.guestFacing(emulatorSpec);
    const inputs = {
      firmware: (spec.firmware as { sha256?: string } | undefined)?.sha256,
      rootfs: (await fileSha256(spec.rootfsImage)).sha256,
      emulatorImage: spec.emulatorImage,
      argv, env,
      // What the lab answered during the boot shapes the booted state (cached names, chosen servers).
      rules: spec.rules, sinkhole: spec.sinkhole === true, seed: spec.seed,
    };
    const key = snapshotKey(inputs);
    const found = spec.snapshot!.mode === 'auto' ? await spec.snapshot!.store.get(key) : undefined;
    return { key, inputs, ...(found !== undefined && { found }) };
  }

  /**
   * Brings the router to ready: restored from its snapshot when the lab has
   * one (a snapshot that will not load is discarded and the router booted),
   * else booted, and then saved when snapshots are on and none is stored.
   * Resolves with the console.
   */
  async start(): Promise<Console> {
    const use = this.snapshot;
    if (use?.restored) {
      try {
        const con = await this.boot.boot();
        // Ready already (its web UI answers); the clock and lease catch up behind it on the
        // console, and a console step queues after them.
        this.chores = this.afterRestore(con);
        return con;
      } catch (e) {
        if (this.boot.state === 'stopped') throw e;
        await this.spec.snapshot!.store.discard(use.key);
        use.restored = false;
        use.note = `the snapshot would not restore (${(e as Error).message.split('\n')[0]}); discarded, booted instead`;
        await this.replaceEmulator();
      }
    }
    const con = await this.boot.boot();
    if (use) await this.save(use);
    return con;
  }

  private async afterRestore(con: Console): Promise<void> {
    const command = this.spec.afterRestore;
    if (command === undefined) return;
    const r = await con.exec(command.replaceAll('{epoch}', String(Math.round((this.spec.now ?? Date.now)() / 1000))), { timeoutMs: 10_000 }).catch((e: unknown) => e as Error);
    if (r instanceof Error) this.snapshot!.note = `after the restore, "${command}" failed: ${r.message.split('\n')[0]}`;
  }

  /** A cold container in place of one that would not restore; its flash starts blank again. */
  private async replaceEmulator(): Promise<void> {
    await this.container[Symbol.asyncDispose]().catch(() => undefined);
    await rm(join(this.runDir, 'config.img'), { force: true });
    this.container = await EmulatorContainer.create(this.engine, this.emulatorSpec);
    this.bootStrategy = new BootStrategy(this.container, this.bootOptions);
  }

  private async save(use: SnapshotUse): Promise<void> {
    const store = this.spec.snapshot!.store;
    try {
      if (await store.has(use.key)) return;
      const { vmstate, flash, pausedMs } = await this.emulator.saveState();
      const snap = await store.put(use.key, { vmstate, ...(flash !== undefined && { flash }) }, this.snapshotInputs ?? {});
      if (flash !== undefined) await rm(flash, { force: true });
      use.saved = { pausedMs, bytes: snap.meta.files.vmstate.bytes + (snap.meta.files.flash?.bytes ?? 0) };
    } catch (e) {
      // A router that could not be saved still runs: the next lab boots it again.
      use.note = `no snapshot saved: ${(e as Error).message.split('\n')[0]}`;
      await rm(join(this.runDir, 'snapshot.vmstate'), { force: true }).catch(() => undefined);
    }
  }

  /** Removes the container, the listeners and the network; keeps the run directory. */
  down(): Promise<void> {
    this.downed ??= (async () => {
      const errors: unknown[] = [];
      const step = async (fn: () => Promise<unknown>) => { try { await fn(); } catch (e) { errors.push(e); } };
      await this.chores;
      // What the guest sent that the lab counted and dropped (non-DNS IPv4 without a sinkhole, all IPv6): read before the container goes.
      await step(async () => {
        this.blocked = {
          ipv4: await this.emulator.egressCounters().catch(() => undefined),
          ipv6: await this.emulator.ipv6Counters().catch(() => undefined),
        };
      });
      await step(() => this.emulator[Symbol.asyncDispose]());
      // QEMU has stopped and flushed its capture: the guest's IPv6, which no listener saw.
      await step(async () => {
        const trunk = this.spec.layout === undefined ? undefined : trunkVlans(this.spec.layout.nics);
        this.ipv6 = await readIpv6Capture(this.emulator.wanPcapPath, LAB_WIRING.macs.wan, join(this.runDir, 'ipv6.jsonl'), trunk?.wan);
      });
      await step(() => this.recorder.stop());
      if (this.sinkhole) await step(() => this.sinkhole!.stop());
      await step(() => this.network.remove());
      await step(() => this.writeRunJson({ state: 'down', boot: this.boot.state, phases: this.boot.phases, failure: this.boot.failure?.toLine(), blocked: this.blocked, snapshot: this.snapshot }));
      if (errors.length) throw errors[0];
    })();
    return this.downed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.down();
  }

  private async writeRunJson(extra: Record<string, unknown>): Promise<void> {
    const s = this.spec;
    await writeFileAtomic(join(s.runDir, 'run.json'), `${JSON.stringify({
      session: s.session, run: s.run, firmware: s.firmware, rootfsImage: s.rootfsImage, kernel: s.kernel.name, layout: s.layout,
      emulatorImage: s.emulatorImage, network: { name: this.network.name, subnet: this.network.subnet },
      container: this.emulator.handle.name, qemuArgv: this.emulator.argv, ...extra,
    }, null, 2)}\n`);
  }
}
