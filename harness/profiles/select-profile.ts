import ipaddr from 'ipaddr.js';
import { FirmlabError } from '../errors.js';
import type { GuestLayout } from '../emulator/guest-layout.js';
import { readInRoot, resolveInRoot, type RootView } from '../firmware/root-view.js';
import type { DeviceProfile, ProfileOverrides } from './device-profile.js';
import { PROFILES, genericProfile, profileNamed } from './profiles.js';

/** How the boot decides the router is up, chosen for one root. */
export interface ReadinessPlan {
  /** Wait for an HTTP answer (any status) on this path of the web UI. */
  http?: string;
  /** Wait for a console line matching this (regular expression source). */
  console?: string;
  /** Neither applies: the first packet the firmware sends on WAN. */
  firstPacket: boolean;
  /** Why this plan, e.g. "/usr/sbin/uhttpd is in the root". */
  reason: string;
}

export interface SelectedProfile {
  /** The profile with the scenario's overrides applied. */
  profile: DeviceProfile;
  /** Why this profile: "found /etc/openwrt_release", or that none matched. */
  reason: string;
  layout: GuestLayout;
  /** Where the LAN address came from: a file in the root, the profile's default or the scenario. */
  lanSource: string;
  readiness: ReadinessPlan;
}

/**
 * Picks the device profile for a firmware root (the first of
 * `profiles` that recognises it, else the generic one), reads what the
 * firmware itself writes down (its LAN address), applies the scenario's
 * overrides, and turns it all into the guest's layout and readiness.
 * Only reads the root, through resolveInRoot (no link leaves it).
 */
export async function selectProfile(root: RootView, overrides: ProfileOverrides & { profile?: string } = {}, profiles: readonly DeviceProfile[] = PROFILES): Promise<SelectedProfile> {
  let base: DeviceProfile | undefined;
  let reason: string;
  if (overrides.profile !== undefined) {
    base = profileNamed(overrides.profile, profiles);
    if (!base) throw new FirmlabError('FIRMLAB_PROFILE_UNKNOWN', `no device profile named ${overrides.profile}; known: ${[...profiles, genericProfile].map((p) => p.name).join(', ')}`);
    reason = 'chosen by the scenario';
  } else {
    for (const p of profiles) {
      if (p.recognise.files.length === 0 && !p.recognise.contains?.length) continue;
      if (await recognises(root, p)) { base = p; break; }
    }
    reason = base ? `found ${[...base.recognise.files, ...(base.recognise.contains ?? []).map((c) => c.path)].join(', ')}` : 'no profile recognised this root: generic defaults';
    base ??= genericProfile;
  }
  const profile: DeviceProfile = {
    ...base,
    ...(overrides.kernel !== undefined && { kernel: overrides.kernel }),
    ...(overrides.memoryMb !== undefined && { memoryMb: overrides.memoryMb }),
    ...(overrides.nics !== undefined && { nics: overrides.nics }),
    ...(overrides.webPorts !== undefined && { webPorts: overrides.webPorts }),
  };
  let lan = overrides.lanAddress === undefined ? undefined : { address: overrides.lanAddress, source: 'the scenario' };
  for (const f of profile.lan.from) {
    if (lan) break;
    const m = (await readRootFile(root, f.path))?.match(new RegExp(f.pattern));
    if (m?.[1] && ipaddr.IPv4.isValidFourPartDecimal(m[1])) lan = { address: m[1], source: f.path };
  }
  lan ??= { address: profile.lan.default, source: `the ${profile.name} profile's default` };
  let init: string | undefined;
  for (const i of profile.init ?? []) {
    if (await allExist(root, i.when ?? [])) { init = i.path; break; }
  }
  return {
    profile,
    reason,
    layout: {
      nics: profile.nics,
      lan: { guest: lan.address, host: lanHostAddress(lan.address, profile.lan.prefix), prefix: profile.lan.prefix },
      webPorts: profile.webPorts,
      flash: profile.flash,
      memoryMb: profile.memoryMb,
      ...(profile.translationCacheMb !== undefined && { translationCacheMb: profile.translationCacheMb }),
      limits: profile.limits,
      ...(init !== undefined && { init }),
      console: { prompt: profile.console.prompt, ...(profile.console.login !== undefined && { login: profile.console.login }) },
    },
    lanSource: lan.source,
    readiness: await planReadiness(root, profile),
  };
}

async function allExist(root: RootView, paths: readonly string[]): Promise<boolean> {
  for (const p of paths) if (!(await resolveInRoot(root, p))) return false;
  return true;
}

async function recognises(root: RootView, p: DeviceProfile): Promise<boolean> {
  for (const f of p.recognise.files) if (!(await resolveInRoot(root, f))) return false;
  for (const c of p.recognise.contains ?? []) {
    if (!new RegExp(c.pattern).test((await readRootFile(root, c.path)) ?? '')) return false;
  }
  return true;
}

async function planReadiness(root: RootView, p: DeviceProfile): Promise<ReadinessPlan> {
  for (const r of p.readiness) {
    const present = [];
    for (const f of r.when ?? []) if (await resolveInRoot(root, f)) present.push(f);
    if (present.length !== (r.when ?? []).length) continue;
    const what = [r.console && 'its console line', r.http && 'its web UI'].filter(Boolean).join(' and ');
    return {
      ...(r.http !== undefined && { http: r.http }),
      ...(r.console !== undefined && { console: r.console }),
      firstPacket: false,
      reason: present.length ? `${present.join(', ')} in the root: ${what}` : `the ${p.name} profile: ${what}`,
    };
  }
  return { firstPacket: true, reason: `no web server or console line the ${p.name} profile knows: the firmware's first packet on WAN` };
}

/** A small text file of the root, or undefined; never follows a link out of it. */
async function readRootFile(root: RootView, path: string): Promise<string | undefined> {
  return (await readInRoot(root, path, 256 * 1024))?.toString('utf8');
}

/**
 * The harness's own address on the router's LAN: the next address after the
 * router's (the one before it when the router sits at the top of its subnet).
 */
export function lanHostAddress(guest: string, prefix: number): string {
  if (!ipaddr.IPv4.isValidFourPartDecimal(guest)) throw new FirmlabError('FIRMLAB_PROFILE_INVALID', `LAN address ${guest} is not an IPv4 address`);
  const g = ipaddr.IPv4.parse(guest);
  const net = ipaddr.IPv4.networkAddressFromCIDR(`${guest}/${prefix}`);
  const bcast = ipaddr.IPv4.broadcastAddressFromCIDR(`${guest}/${prefix}`);
  const n = toInt(g);
  if (n === toInt(net) || n === toInt(bcast)) throw new FirmlabError('FIRMLAB_PROFILE_INVALID', `LAN address ${guest}/${prefix} is its subnet's network or broadcast address`);
  const next = n + 1 < toInt(bcast) ? n + 1 : n - 1;
  if (next === toInt(net)) throw new FirmlabError('FIRMLAB_PROFILE_INVALID', `LAN ${guest}/${prefix} has no room for the harness's address`);
  return ipaddr.fromByteArray([next >>> 24, (next >>> 16) & 255, (next >>> 8) & 255, next & 255]).toString();
}

function toInt(a: ipaddr.IPv4): number {
  return a.octets.reduce((n, o) => n * 256 + o, 0);
}
