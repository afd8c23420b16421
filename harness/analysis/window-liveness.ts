import type { DnsQuery, EgressEvent } from './analysis-input.js';
import { TrafficTarget } from './traffic-target.js';

/*
 * Whether a window's silence can be trusted, judged by what the window means
 * (issue #10). Two questions, kept apart:
 *
 * - Was the lab live? Could it have seen contact had the router made any?
 *   Proof, best first: a probe the router was made to send through its
 *   console after the window was recorded (one before it too, or the router
 *   could not reach anything when the window began); else a service that
 *   was on sent its own traffic; else the router's other traffic in the
 *   window. Without proof every expectation on the window is `error`: a
 *   silent lab must never look like a fixed build.
 * - Did the build behave? A feature that is on needs its service shown
 *   running (its process; with no process declared, its start line since
 *   it was switched on) and, when the definition names the service's
 *   traffic, that traffic since it was switched on: else it hangs. A feature that is off may have
 *   stopped its service: that is a clean way to be quiet, not an error.
 *   What a build did wrong is a finding (exit 1), not a lab failure.
 *
 * The step runner measures the facts; this pure function judges them and
 * counts what the records say (the window's contacts, the service's own).
 */

/**
 * Probe names live under a reserved test domain (RFC 6761), so no pattern of
 * a real service matches them, and they never count as the router's traffic.
 */
export const PROBE_SUFFIX = 'probe.firmlab.test';

export function isProbeName(name: string): boolean {
  return name === PROBE_SUFFIX || name.endsWith(`.${PROBE_SUFFIX}`);
}

/** What the runner measured about one watched feature around one window, per its definition's `alive`. */
export interface ServiceFacts {
  readonly feature: string;
  /** As the last `set` step left it (or as read back when none set it); `unknown` when neither told. */
  readonly state: 'on' | 'off' | 'unknown';
  /** When it was last switched (or the lab came up, if never): its evidence counts from here. */
  readonly sinceMs: number;
  /** The process that serves it (`pidof`), when the definition names one. */
  readonly process?: string;
  /** Seen running at the window's start and end; undefined when it could not be checked (no console, no process). */
  readonly runningAtStart?: boolean;
  readonly runningAtEnd?: boolean;
  /** The definition's start line and how many console lines matched it from `sinceMs` to the window's end. */
  readonly line?: { readonly pattern: string; readonly count: number };
  /** The definition's own-traffic pattern (e.g. `*.safethings.avira.com`); the judge counts it from the records. */
  readonly traffic?: string;
}

export interface LabFacts {
  /** The probe queries sent through the console before and after the window (each a fresh name); absent when there was no console to send them. */
  readonly probe?: { readonly before: ProbeResult; readonly after: ProbeResult };
}

/** What the build's lab recorded so far (the recorder's queries, the sinkhole's records). */
export interface LabRecords {
  readonly dns: readonly DnsQuery[];
  readonly egress?: readonly EgressEvent[];
}

export interface ProbeResult {
  readonly name: string;
  /** The lab recorded it. */
  readonly seen: boolean;
}

export interface ServiceCheck extends ServiceFacts {
  /** Its own traffic from `sinceMs` to the window's end, when the definition names it and the feature is on. */
  readonly activity?: { readonly what: string; readonly count: number; readonly sinceMs: number };
  /** What is wrong with the build, in words; absent when nothing is. */
  readonly finding?: string;
}

/** The judgement stored on each window (its findings reach report.json, its words the progress output). */
export interface WindowLiveness {
  /** The lab showed it could have seen contact in this window. */
  readonly labLive: boolean;
  /** How that was shown, or why it was not. */
  readonly proof: string;
  readonly services: readonly ServiceCheck[];
}

export function judgeWindowLiveness(
  lab: LabFacts,
  services: readonly ServiceFacts[],
  records: LabRecords,
  window: { readonly startMs: number; readonly endMs: number },
): WindowLiveness {
  const checks = services.map((s): ServiceCheck => {
    const withActivity = s.traffic !== undefined && s.state === 'on'
      ? { ...s, activity: { what: s.traffic, count: ownContacts(records, s.traffic, s.sinceMs, window.endMs), sinceMs: s.sinceMs } }
      : s;
    return { ...withActivity, ...finding(withActivity, window.endMs) };
  });
  const active = checks.find((s) => s.state === 'on' && (s.activity?.count ?? 0) > 0);
  if (lab.probe) {
    const { before, after } = lab.probe;
    if (after.seen) {
      const proof = before.seen ? 'probes recorded before and after the window'
        : `the probe after the window was recorded; the one before (${before.name}) was not: the router could not reach the lab yet when the window began (its WAN not up), so it could not have contacted anything unseen`;
      return { labLive: true, proof, services: checks };
    }
    return {
      labLive: false,
      proof: `the probe query the router was made to send after the window (${after.name}, through its console) never reached the lab`,
      services: checks.map(dropTrafficFinding),
    };
  }
  if (active) {
    return { labLive: true, proof: `no console probe; ${active.feature}'s own traffic (${active.activity!.what}) was recorded`, services: checks };
  }
  const inWindow = contactsIn(records, window.startMs, window.endMs);
  if (inWindow > 0) {
    return { labLive: true, proof: `no console probe; the router's traffic was recorded in the window (${inWindow} contacts)`, services: checks };
  }
  return {
    labLive: false,
    proof: 'no console to send a probe and nothing recorded from the router: the lab may not have been able to see contact',
    services: checks.map(dropTrafficFinding),
  };
}

function finding(s: ServiceCheck, endMs: number): { finding?: string } {
  if (s.state !== 'on') return {};
  if (s.runningAtStart === false || s.runningAtEnd === false) {
    const when = s.runningAtStart === false ? '' : ' (it stopped during the window)';
    return { finding: `${s.feature} is on but its service (${s.process}) is not running${when}` };
  }
  const seconds = Math.round((endMs - s.sinceMs) / 1000);
  // A start line stands in for the process check only where the definition names no process.
  if (s.process === undefined && s.line !== undefined && s.line.count === 0) {
    return { finding: `${s.feature} is on but its service printed no line matching /${s.line.pattern}/ in the ${seconds} s since it was switched on: not shown running` };
  }
  const running = s.process !== undefined ? s.runningAtStart === true && s.runningAtEnd === true : (s.line?.count ?? 0) > 0;
  if (running && s.activity?.count === 0) {
    const what = s.process ?? 'its service';
    return { finding: `${s.feature} is on and ${what} runs, but it sent nothing (${s.activity.what}) in the ${seconds} s since it was switched on: hung` };
  }
  return {};
}

/** DNS queries (probes excluded) and sinkhole records in [fromMs, toMs): anything the router sent. */
function contactsIn(records: LabRecords, fromMs: number, toMs: number): number {
  const within = (t: number) => t >= fromMs && t < toMs;
  return records.dns.filter((q) => within(q.atMs) && !isProbeName(q.name)).length
    + (records.egress ?? []).filter((e) => within(e.atMs)).length;
}

/** Contacts by name with the service's own pattern (DNS, SNI, Host: analysis' one counting rule) in [fromMs, toMs). */
function ownContacts(records: LabRecords, pattern: string, fromMs: number, toMs: number): number {
  const target = TrafficTarget.parse({ domain: pattern });
  const within = (t: number) => t >= fromMs && t < toMs;
  return records.dns.filter((q) => within(q.atMs) && !isProbeName(q.name) && target.countsQuery(q)).length
    + (records.egress ?? []).filter((e) => within(e.atMs) && target.contactOf(e) !== undefined).length;
}

/** A lab that could not see contact cannot tell a hung service from a working one. */
function dropTrafficFinding(c: ServiceCheck): ServiceCheck {
  if (c.finding === undefined || !c.finding.endsWith(': hung')) return c;
  const { finding: _dropped, ...rest } = c;
  return rest;
}
