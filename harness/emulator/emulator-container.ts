import { mkdir, open, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ContainerHandle, ContainerSpec, OwnerLabels } from '../engine/index.js';
import type { KernelEntry } from './arch-table.js';
import { DEFAULT_LAYOUT, flashFill, type GuestLayout } from './guest-layout.js';
import type { BootTarget } from './boot-strategy.js';
import type { Console } from './console.js';
import { parseEgressCounters, parseIpv6Counters, type EgressCounters, type Ipv6Counters } from './egress-counters.js';
import { ConsoleError } from './emulator-errors.js';
import { LAB_WIRING } from './lab-wiring.js';
import { parseConntrack, type NatEntry } from './nat-entries.js';
import { buildQemuArgv, DEFAULT_TB_SIZE_MB } from './qemu-argv.js';
import { SerialConsole } from './serial-console.js';

/** The part of a container handle the emulator uses (harness/engine's ContainerHandle fits). */
export type EmulatorHandle = Pick<ContainerHandle, 'id' | 'name' | 'start' | 'exec' | 'logs' | 'wait' | 'inspect' | 'kill' | 'remove' | 'memory'>;

/** The part of the engine the emulator uses (harness/engine's DockerEngine fits). */
export interface EmulatorEngine {
  createContainer(spec: ContainerSpec): Promise<EmulatorHandle>;
}

export interface EmulatorContainerSpec {
  /** The emulator image tag (`engine.buildImage('emulator')`). */
  image: string;
  owner: OwnerLabels;
  name?: string;
  /** The lab's internal network; the recorder listens on its gateway. */
  network: { name: string; ipv4?: string };
  /** Host directory bind-mounted at /run/firmlab: console.sock, console.log, wan.pcap, config.img. */
  runDir: string;
  /** Host path of the firmware's squashfs root; mounted read-only. */
  rootfsImage: string;
  kernel: KernelEntry;
  /** `ip:port` of the lab's DNS recorder: every port-53 packet of the guest goes there. */
  recorder: string;
  /** `ip[:port]` of the lab's sinkhole for other TCP/UDP; without it they are counted and dropped. */
  sinkhole?: string;
  /** What this firmware gets from the lab (NIC order, LAN, web ports, flash, memory); the fixture's by default. */
  layout?: GuestLayout;
  /** Host path of the writable config disk or flash; default `<runDir>/config.img`, made as the layout's flash says when missing. */
  configDisk?: string;
  tbSizeMb?: number;
  extraAppend?: string[];
  /** A cgroup memory cap for the whole container; default: the guest's memory, QEMU's translation cache and CONTAINER_OVERHEAD_MB. */
  memoryLimitBytes?: number;
}

/*
 * The firmware is untrusted code; if it broke out of QEMU it should find a
 * container that can do little (issue #14): every capability dropped but the
 * ones lab-entry.sh needs (NET_ADMIN: taps, iptables, conntrack; NET_RAW and
 * NET_BIND_SERVICE: udhcpd's packet socket and port 67), no new
 * privileges, a read-only image with tmpfs /run and /tmp, the run directory
 * and the disks as its only host mounts, and caps on memory, processes and
 * CPU.
 */
const LEAST_CAPABILITIES = ['NET_ADMIN', 'NET_RAW', 'NET_BIND_SERVICE'];
/** QEMU itself, its I/O threads, lab-entry.sh's udhcpd and shell, the page cache of console.log and wan.pcap. */
const CONTAINER_OVERHEAD_MB = 256;

const ROOTFS_IN_CONTAINER = '/firmlab/rootfs.squashfs';
const CONFIG_BOUND_IN_CONTAINER = '/firmlab/config.img';

/**
 * One router's emulator container: QEMU with the firmware's root on a generic
 * kernel, its taps and firewall set up by the image's lab-entry.sh. Gives the
 * console, the lab address, the blocked-egress counter; `await using` kills
 * and removes it.
 */
export class EmulatorContainer implements BootTarget, AsyncDisposable {
  private readonly output: string[] = [];
  private readonly logsAbort = new AbortController();
  private logsDone: Promise<void> = Promise.resolve();
  private exit: Promise<{ exitCode: number; stderrTail: string[] }> | undefined;
  private con: Promise<SerialConsole> | undefined;
  private disposed = false;

  private constructor(readonly handle: EmulatorHandle, readonly argv: string[], readonly spec: EmulatorContainerSpec) {}

  /** Prepares the run directory and creates the container (not started). */
  static async create(engine: EmulatorEngine, spec: EmulatorContainerSpec): Promise<EmulatorContainer> {
    const runDir = resolve(spec.runDir);
    await mkdir(runDir, { recursive: true });
    const rootfs = resolve(spec.rootfsImage);
    await stat(rootfs);
    const layout = spec.layout ?? DEFAULT_LAYOUT;
    const config = resolve(spec.configDisk ?? join(runDir, 'config.img'));
    if (layout.flash.kind !== 'none') await ensureDisk(config, layout.flash.bytes, flashFill(layout.flash));
    const configInRunDir = dirname(config) === runDir;
    const configInContainer = configInRunDir ? `${LAB_WIRING.containerRunDir}/${basename(config)}` : CONFIG_BOUND_IN_CONTAINER;
    const argv = buildQemuArgv({
      kernel: spec.kernel,
      rootfsImage: ROOTFS_IN_CONTAINER,
      configDisk: configInContainer,
      layout,
      tbSizeMb: spec.tbSizeMb,
      extraAppend: spec.extraAppend,
    });
    // lab-entry.sh wires the LAN side from these; the WAN side is the same for every guest.
    const env: Record<string, string> = {
      FIRMLAB_RECORDER: spec.recorder,
      FIRMLAB_GUEST_LAN: layout.lan.guest,
      FIRMLAB_LAN_HOST: `${layout.lan.host}/${layout.lan.prefix}`,
      FIRMLAB_WEB_PORTS: layout.webPorts.join(' '),
      FIRMLAB_GUEST_LAN_MAC: LAB_WIRING.macs.lan,
    };
    if (spec.sinkhole) env.FIRMLAB_SINKHOLE = spec.sinkhole;
    const handle = await engine.createContainer({
      image: spec.image,
      owner: { role: 'emulator', ...spec.owner },
      name: spec.name,
      cmd: argv,
      env,
      binds: [
        `${runDir}:${LAB_WIRING.containerRunDir}`,
        `${rootfs}:${ROOTFS_IN_CONTAINER}:ro`,
        ...(configInRunDir || layout.flash.kind === 'none' ? [] : [`${config}:${CONFIG_BOUND_IN_CONTAINER}`]),
      ],
      capDrop: ['ALL'],
      capAdd: LEAST_CAPABILITIES,
      securityOpt: ['no-new-privileges'],
      readonlyRootfs: true,
      tmpfs: { '/run': 'rw,nosuid,nodev,size=16m', '/tmp': 'rw,nosuid,nodev,size=16m' },
      // From the device profile: one guest vCPU (-smp 1) and QEMU's I/O thread, so one lab cannot starve the others.
      pidsLimit: layout.limits.pids,
      cpus: layout.limits.cpus,
      // Docker turns IPv6 off in containers of v4-only networks. The taps (made
      // later, so they take `default`) need it on, or the kernel drops what the
      // guest sends over IPv6 before ip6tables can count it; the lab interface keeps it off.
      sysctls: { 'net.ipv6.conf.default.disable_ipv6': '0' },
      devices: ['/dev/net/tun'],
      network: spec.network,
      memoryBytes: spec.memoryLimitBytes ?? (layout.memoryMb + (spec.tbSizeMb ?? DEFAULT_TB_SIZE_MB) + CONTAINER_OVERHEAD_MB) * 2 ** 20,
    });
    return new EmulatorContainer(handle, argv, { ...spec, runDir, layout });
  }

  get consoleSocketPath(): string {
    return join(this.spec.runDir, LAB_WIRING.consoleSocket);
  }

  get consoleLogPath(): string {
    return join(this.spec.runDir, LAB_WIRING.consoleLog);
  }

  get wanPcapPath(): string {
    return join(this.spec.runDir, LAB_WIRING.wanPcap);
  }

  /** The container's stdout/stderr (lab-entry.sh and QEMU), last lines. */
  get stderrTail(): string[] {
    return [...this.output];
  }

  async start(): Promise<void> {
    await this.handle.start();
    this.logsDone = this.handle
      .logs((line) => { this.output.push(line); if (this.output.length > 30) this.output.shift(); }, this.logsAbort.signal)
      .catch(() => undefined);
  }

  connectConsole(opts: { timeoutMs?: number; now?: () => number } = {}): Promise<Console> {
    const behaviour = (this.spec.layout ?? DEFAULT_LAYOUT).console;
    this.con ??= SerialConsole.connect(this.consoleSocketPath, {
      timeoutMs: opts.timeoutMs ?? 15_000, now: opts.now,
      ...(behaviour !== undefined && { prompt: new RegExp(behaviour.prompt) }),
      ...(behaviour?.login !== undefined && { login: behaviour.login }),
    });
    this.con.catch(() => { this.con = undefined; });
    return this.con;
  }

  /** The container's address on the lab network: where the host reaches the web UI. */
  async labIp(): Promise<string> {
    const state = await this.handle.inspect();
    const ip = state.ipByNetwork[this.spec.network.name];
    if (!ip) throw new ConsoleError(`emulator container ${this.handle.name} has no address on ${this.spec.network.name}`);
    return ip;
  }

  async webBaseUrl(): Promise<string> {
    return `http://${await this.labIp()}:${(this.spec.layout ?? DEFAULT_LAYOUT).webPorts[0] ?? 80}/`;
  }

  exited(): Promise<{ exitCode: number; stderrTail: string[] }> {
    this.exit ??= this.handle.wait().then(async (exitCode) => {
      // The log stream ends with the container; give it a moment for QEMU's last words.
      await Promise.race([this.logsDone, new Promise((r) => setTimeout(r, 1000).unref())]);
      return { exitCode, stderrTail: this.stderrTail };
    });
    return this.exit;
  }

  /**
   * Resolves once wan.pcap holds a packet (more than its 24-byte file header):
   * the guest has sent something on WAN. Polled: QEMU writes the file.
   */
  async firstPacket(signal: AbortSignal): Promise<void> {
    const PCAP_HEADER_BYTES = 24;
    while (!signal.aborted) {
      const size = (await stat(this.wanPcapPath).catch(() => undefined))?.size ?? 0;
      if (size > PCAP_HEADER_BYTES) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw signal.reason;
  }

  /** What the guest sent that was neither DNS nor sinkholed: counted and dropped in the container. */
  async egressCounters(): Promise<EgressCounters> {
    const r = await this.handle.exec(['iptables', '-w', '-L', LAB_WIRING.egressChain, '-v', '-x', '-n'], { timeoutMs: 10_000 });
    if (r.exitCode !== 0) throw new ConsoleError(`reading ${LAB_WIRING.egressChain} failed: ${r.stderr.trim()}`);
    return parseEgressCounters(r.stdout);
  }

  /** What the guest sent over IPv6, by kind; undefined where the container has no IPv6 (no chain). */
  async ipv6Counters(): Promise<Ipv6Counters | undefined> {
    const r = await this.handle.exec(['ip6tables', '-w', '-t', 'raw', '-L', LAB_WIRING.egressChain6, '-v', '-x', '-n'], { timeoutMs: 10_000 });
    if (r.exitCode !== 0) return undefined;
    return parseIpv6Counters(r.stdout);
  }

  /**
   * The container's tracked TCP/UDP flows (`conntrack -L`): where each
   * redirected flow of the guest was really going.
   */
  async natEntries(): Promise<NatEntry[]> {
    const r = await this.handle.exec(['conntrack', '-L', '-f', 'ipv4'], { timeoutMs: 10_000 });
    if (r.exitCode !== 0) throw new ConsoleError(`conntrack -L in ${this.handle.name} failed: ${r.stderr.trim()}`);
    return parseConntrack(r.stdout);
  }

  /** The container's memory use now and at its peak (cgroup v1 max_usage; undefined where the engine has none). */
  memory(): Promise<{ usage: number; peak: number | undefined }> {
    return this.handle.memory();
  }

  /** QEMU's resident memory: it is PID 1 in the container (lab-entry.sh execs it). */
  async qemuRssBytes(): Promise<number> {
    const r = await this.handle.exec(['cat', '/proc/1/status'], { timeoutMs: 10_000 });
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(r.stdout);
    if (!m) throw new ConsoleError(`no VmRSS in /proc/1/status of ${this.handle.name}`);
    return Number(m[1]) * 1024;
  }

  async stop(): Promise<void> {
    (await this.con?.catch(() => undefined))?.close();
    await this.handle.kill();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    try {
      await this.stop();
    } finally {
      this.logsAbort.abort();
      await this.handle.remove();
    }
  }
}

/** A disk of `bytes` bytes of `fill`, unless one is there already (a reboot keeps its settings). */
async function ensureDisk(path: string, bytes: number, fill: number): Promise<void> {
  const f = await open(path, 'a');
  try {
    if ((await f.stat()).size > 0) return;
    if (fill === 0) await f.truncate(bytes);
    else {
      const chunk = Buffer.alloc(Math.min(bytes, 1024 * 1024), fill);
      for (let done = 0; done < bytes; done += chunk.length) await f.write(chunk, 0, Math.min(chunk.length, bytes - done));
    }
  } finally {
    await f.close();
  }
}
