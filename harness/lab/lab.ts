import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DnsRecorder, type DnsRule } from '../dns/index.js';
import { Sinkhole } from '../egress/index.js';
import type { DockerEngine, LabNetwork } from '../engine/index.js';
import { BootStrategy, type BootReadiness, type BootStrategyOptions } from '../emulator/boot-strategy.js';
import type { KernelEntry } from '../emulator/arch-table.js';
import type { GuestLayout } from '../emulator/guest-layout.js';
import { LAB_WIRING } from '../emulator/lab-wiring.js';
import { EmulatorContainer } from '../emulator/emulator-container.js';
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
  readonly boot: BootStrategy;

  private constructor(
    readonly spec: LabSpec,
    readonly network: LabNetwork,
    readonly recorder: DnsRecorder,
    readonly sinkhole: Sinkhole | undefined,
    readonly emulator: EmulatorContainer,
    bootOptions: BootStrategyOptions,
  ) {
    this.boot = new BootStrategy(emulator, bootOptions);
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
      // the emulator container, from nothing outside the lab.
      const recorder = await DnsRecorder.start({
        listen: [{ host: network.gateway, port: 0 }], rules: spec.rules, now, seed: spec.seed,
        logFile: join(runDir, 'dns.jsonl'), dnstapFile: join(runDir, 'dns.dnstap'), originalDestination: (flow) => nat?.lookup(flow),
      });
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
      const emulator = await EmulatorContainer.create(engine, {
        image: spec.emulatorImage,
        owner: { session: spec.session, run: spec.run },
        network: { name: network.name },
        runDir,
        rootfsImage: spec.rootfsImage,
        kernel: spec.kernel,
        layout: spec.layout,
        recorder: `${rec.host}:${rec.port}`,
        sinkhole: sink ? `${sink.host}:${sink.port}` : undefined,
      });
      created.push(emulator);
      // At most one conntrack read a second per lab: lookups wait, answers never do.
      nat = new NatDestinationLookup(() => emulator.natEntries(), { now, minIntervalMs: 1000 });
      const lab = new Lab({ ...spec, runDir }, network, recorder, sinkhole, emulator, { now, ready: spec.ready, ...bootOptions });
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

  /** Removes the container, the listeners and the network; keeps the run directory. */
  down(): Promise<void> {
    this.downed ??= (async () => {
      const errors: unknown[] = [];
      const step = async (fn: () => Promise<unknown>) => { try { await fn(); } catch (e) { errors.push(e); } };
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
        this.ipv6 = await readIpv6Capture(this.emulator.wanPcapPath, LAB_WIRING.macs.wan, join(this.runDir, 'ipv6.jsonl'));
      });
      await step(() => this.recorder.stop());
      if (this.sinkhole) await step(() => this.sinkhole!.stop());
      await step(() => this.network.remove());
      await step(() => this.writeRunJson({ state: 'down', boot: this.boot.state, phases: this.boot.phases, failure: this.boot.failure?.toLine(), blocked: this.blocked }));
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
