import { copyFile, mkdir, open, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ContainerHandle, ContainerSpec, OwnerLabels } from '../engine/index.js';
import type { KernelEntry } from './arch-table.js';
import { DEFAULT_LAYOUT, flashFill, trunkVlans, type GuestLayout } from './guest-layout.js';
import type { BootTarget } from './boot-strategy.js';
import type { Console } from './console.js';
import { parseEgressCounters, parseIpv6Counters, type EgressCounters, type Ipv6Counters } from './egress-counters.js';
import { ConsoleError } from './emulator-errors.js';
import { LAB_WIRING } from './lab-wiring.js';
import { parseConntrack, type NatEntry } from './nat-entries.js';
import { QmpClient, QmpError } from './qmp-client.js';
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
  /**
   * `ip:port` of the recorder's listener for port-53 packets the guest sends
   * to its gateway (LAB_WIRING.wanGateway, the resolver its lease names): the
   * listener that took a query then says where it was sent, and only queries
   * to other resolvers need a conntrack read to tell.
   */
  gatewayRecorder?: string;
  /** `ip[:port]` of the lab's sinkhole for other TCP/UDP; without it they are counted and dropped. */
  sinkhole?: string;
  /** What this firmware gets from the lab (NIC order, LAN, web ports, flash, memory); the fixture's by default. */
  layout?: GuestLayout;
  /** Host path of the writable config disk or flash; default `<runDir>/config.img`, made as the layout's flash says when missing. */
  configDisk?: string;
  tbSizeMb?: number;
  extraAppend?: string[];
  /** Host path of a saved VM state to restore instead of booting; mounted read-only (snapshot-store.ts). */
  incomingState?: string;
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
const STATE_IN_CONTAINER = '/firmlab/vmstate';

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
  private qmpClient: Promise<QmpClient> | undefined;
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
    const { argv, env } = EmulatorContainer.guestFacing(spec);
    env.FIRMLAB_RECORDER = spec.recorder;
    if (spec.gatewayRecorder) env.FIRMLAB_RECORDER_GATEWAY = spec.gatewayRecorder;
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
        ...(spec.incomingState === undefined ? [] : [`${resolve(spec.incomingState)}:${STATE_IN_CONTAINER}:ro`]),
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
      memoryBytes: spec.memoryLimitBytes ?? (layout.memoryMb + (spec.tbSizeMb ?? layout.translationCacheMb ?? DEFAULT_TB_SIZE_MB) + CONTAINER_OVERHEAD_MB) * 2 ** 20,
    });
    return new EmulatorContainer(handle, argv, { ...spec, runDir, layout, configDisk: config });
  }

  /**
   * The QEMU argv and the container environment that shape what the guest
   * sees: the same in every lab of one build, whatever its network (the
   * recorder's and sinkhole's addresses, added by `create`, lie outside the
   * guest). A snapshot's key is made from them.
   */
  static guestFacing(spec: EmulatorContainerSpec): { argv: string[]; env: Record<string, string> } {
    const runDir = resolve(spec.runDir);
    const layout = spec.layout ?? DEFAULT_LAYOUT;
    const config = resolve(spec.configDisk ?? join(runDir, 'config.img'));
    const argv = buildQemuArgv({
      kernel: spec.kernel,
      rootfsImage: ROOTFS_IN_CONTAINER,
      configDisk: dirname(config) === runDir ? `${LAB_WIRING.containerRunDir}/${basename(config)}` : CONFIG_BOUND_IN_CONTAINER,
      layout,
      tbSizeMb: spec.tbSizeMb,
      extraAppend: spec.extraAppend,
      ...(spec.incomingState !== undefined && { incomingState: STATE_IN_CONTAINER }),
    });
    // lab-entry.sh wires both sides from these; the WAN side is the same for every guest.
    const vlans = trunkVlans(layout.nics);
    const env: Record<string, string> = {
      FIRMLAB_WAN_GATEWAY: `${LAB_WIRING.wanGateway}/${LAB_WIRING.wanPrefix}`,
      FIRMLAB_WAN_GUEST: LAB_WIRING.wanGuest,
      FIRMLAB_GUEST_LAN: layout.lan.guest,
      FIRMLAB_LAN_HOST: `${layout.lan.host}/${layout.lan.prefix}`,
      FIRMLAB_WEB_PORTS: layout.webPorts.join(' '),
      FIRMLAB_GUEST_LAN_MAC: vlans ? LAB_WIRING.macs.wan : LAB_WIRING.macs.lan,
      FIRMLAB_WAN_TAP_MAC: LAB_WIRING.tapMacs.wan,
      FIRMLAB_LAN_TAP_MAC: LAB_WIRING.tapMacs.lan,
      ...(vlans && { FIRMLAB_TRUNK_VLANS: `${vlans.wan} ${vlans.lan}`, FIRMLAB_TRUNK_UDP: `${LAB_WIRING.trunkPorts.lab} ${LAB_WIRING.trunkPorts.guest}` }),
    };
    return { argv, env };
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

  /** True when this container loads a saved VM state instead of booting. */
  get restoring(): boolean {
    return this.spec.incomingState !== undefined;
  }

  private qmp(): Promise<QmpClient> {
    this.qmpClient ??= QmpClient.connect(join(this.spec.runDir, LAB_WIRING.qmpSocket));
    this.qmpClient.catch(() => { this.qmpClient = undefined; });
    return this.qmpClient;
  }

  /**
   * Restoring: waits until QEMU has loaded the saved state, then lets the VM
   * run (it was saved stopped). A stream QEMU cannot load ends the emulator
   * or fails the migration: a QmpError either way.
   */
  async resume({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const qmp = await this.qmp();
    await this.migrationDone(qmp, timeoutMs, 'loading the saved state');
    await qmp.execute('cont');
  }

  /**
   * Saves the running VM: stops it, writes QEMU's migration stream and copies
   * the writable disk as it is at that moment into the run directory, then
   * lets it run on. Returns the host paths of the two files and how long the
   * guest was stopped.
   */
  async saveState({ timeoutMs = 60_000 }: { timeoutMs?: number } = {}): Promise<{ vmstate: string; flash?: string; pausedMs: number }> {
    const qmp = await this.qmp();
    const name = 'snapshot.vmstate';
    const t0 = Date.now();
    await qmp.execute('stop');
    try {
      await qmp.execute('migrate', { uri: `exec:cat > ${LAB_WIRING.containerRunDir}/${name}` });
      await this.migrationDone(qmp, timeoutMs, 'saving the VM state');
      let flash: string | undefined;
      if ((this.spec.layout ?? DEFAULT_LAYOUT).flash.kind !== 'none' && this.spec.configDisk !== undefined) {
        flash = join(this.spec.runDir, 'snapshot.flash');
        await copyFile(this.spec.configDisk, flash);
      }
      return { vmstate: join(this.spec.runDir, name), ...(flash !== undefined && { flash }), pausedMs: Date.now() - t0 };
    } finally {
      await qmp.execute('cont');
    }
  }

  private async migrationDone(qmp: QmpClient, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await qmp.execute<{ status?: string; 'error-desc'?: string }>('query-migrate');
      if (s.status === 'completed') return;
      if (s.status === 'failed' || s.status === 'cancelled') throw new QmpError(`${what} failed: ${s['error-desc'] ?? s.status}`, { status: s.status });
      if (Date.now() > deadline) throw new QmpError(`${what} did not finish within ${timeoutMs} ms (status ${s.status ?? 'none'})`);
      await new Promise((r) => setTimeout(r, 10));
    }
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

  /**
   * QEMU's memory now: it is PID 1 in the container (lab-entry.sh execs it).
   * Its RSS holds the pages of QEMU's binary and libraries, which every
   * router on the machine maps from the same image layer; PSS divides those
   * between the routers that share them.
   */
  async qemuMemory(): Promise<QemuMemory> {
    const r = await this.handle.exec(['cat', '/proc/1/status', '/proc/1/smaps_rollup'], { timeoutMs: 10_000 });
    try {
      return parseQemuMemory(r.stdout);
    } catch (e) {
      throw new ConsoleError(`${(e as Error).message} in /proc/1 of ${this.handle.name}`);
    }
  }

  async stop(): Promise<void> {
    (await this.con?.catch(() => undefined))?.close();
    (await this.qmpClient?.catch(() => undefined))?.close();
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

/** QEMU's memory, from /proc/<pid>/status and smaps_rollup. */
export interface QemuMemory {
  rssBytes: number;
  /** Its own pages (RssAnon + RssShmem): guest RAM it touched, the translation cache, its heap. */
  privateBytes: number;
  /** File pages (RssFile): QEMU's binary and libraries, the same pages for every router. */
  sharedFileBytes: number;
  /** Proportional set size: shared pages divided by how many processes map them. */
  pssBytes: number;
}

/** Reads a QemuMemory out of `cat /proc/<pid>/status /proc/<pid>/smaps_rollup`. */
export function parseQemuMemory(text: string): QemuMemory {
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    if (!m) throw new Error(`no ${field}`);
    return Number(m[1]) * 1024;
  };
  return { rssBytes: kb('VmRSS'), privateBytes: kb('RssAnon') + kb('RssShmem'), sharedFileBytes: kb('RssFile'), pssBytes: kb('Pss') };
}
