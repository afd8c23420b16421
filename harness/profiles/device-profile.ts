import type { FeatureDefinition } from '../control/feature-definition.js';
import type { WebUiDialect } from '../control/web-ui.js';
import type { FlashSpec, NicLayout } from '../emulator/guest-layout.js';

/**
 * What the harness assumes about one firmware family, written down instead
 * of coded (labgrid's target descriptions are the model): how to recognise
 * it from its root, which NIC is WAN, where its LAN and web UI are, what
 * "ready" looks like, how its console behaves, where settings persist, how
 * much memory it gets. Plain data; `selectProfile` applies it to one root.
 */
export interface DeviceProfile {
  name: string;
  description: string;
  /** The family is recognised when every `files` entry exists in the root and every `contains` matches. */
  recognise: { files: string[]; contains?: { path: string; pattern: string }[] };
  /** Preferred generic kernel (arch table name) when several run the userland. */
  kernel?: string;
  memoryMb: number;
  /**
   * TCG's translation cache in MiB (QEMU's tb-size; default 32): with the
   * guest's memory it bounds QEMU's RSS. Smaller holds more routers per
   * machine; too small for the firmware's code makes QEMU translate again.
   */
  translationCacheMb?: number;
  /**
   * What one lab of this family may use besides its guest memory (the
   * container's memory cap is that plus QEMU's translation cache and its
   * own overhead): processes in the container, CPUs (one vCPU plus QEMU's
   * I/O thread is about 1.5).
   */
  limits: { pids: number; cpus: number };
  /**
   * The program the kernel starts (`init=`), tried in order: the first whose
   * `when` files all exist in the root. None applies: the kernel's own
   * default, /sbin/init. (OpenWrt's boards boot `/etc/preinit`, which mounts
   * the overlay root before busybox init or procd.)
   */
  init?: { when?: string[]; path: string }[];
  /** Guest NICs in the guest's order (eth0 first), or one NIC carrying WAN and LAN as VLANs (stock TP-Link: `{ vlans: { wan: 2, lan: 3 } }`). */
  nics: NicLayout;
  lan: {
    /** Where the firmware writes its LAN address down, tried in order; the first capture group is the address. */
    from: { path: string; pattern: string }[];
    /** When none of `from` says. */
    default: string;
    prefix: number;
  };
  webPorts: number[];
  /** The web UI its firmware serves, for `login` steps; none: features go through the console only. */
  webUi?: WebUiDialect;
  /**
   * Ways to tell the router is up, tried in order; the first whose `when`
   * files exist in the root applies (no `when`: always). An entry with both
   * `http` and `console` waits for both. With none applicable: the
   * firmware's first packet on WAN.
   */
  readiness: { when?: string[]; http?: string; console?: string }[];
  console: {
    /** A shell prompt at the end of the console's last line (regular expression source). */
    prompt: string;
    /** Who to log in as when the serial console asks (a getty's `login:` and `Password:`); none: it must give a shell on Enter. */
    login?: { user: string; password: string };
    /**
     * A shell command that makes the router send one DNS query for `{name}`
     * to `{resolver}` (the lab's). Sent before and after every observe
     * window, it proves the lab could have seen contact (window-liveness.ts).
     */
    probe?: string;
    /**
     * A shell command run once after the router is restored from a snapshot
     * (`{epoch}`: the host's time, seconds since 1970): it brings the guest's
     * clock forward and renews its WAN lease, as a router waking up would.
     */
    afterRestore?: string;
  };
  flash: FlashSpec;
  /** Where settings persist, in words, for inspect and reports. */
  persistence: string;
  /** The features this family's firmware has, declared (scenarios switch them by name). */
  features: FeatureDefinition[];
}

/** The fields a scenario's `lab:` may override (profile names and readiness stay the profile's). */
export type ProfileOverrides = Partial<Pick<DeviceProfile, 'kernel' | 'memoryMb' | 'nics' | 'webPorts'>> & {
  lanAddress?: string;
};
