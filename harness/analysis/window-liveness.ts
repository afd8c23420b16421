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
 * - Did the build behave? A feature that is on needs its service running
 *   (and, when the definition names the service's traffic, that traffic
 *   since it was switched on: else it hangs). A feature that is off may have
 *   stopped its service: that is a clean way to be quiet, not an error.
 *   What a build did wrong is a finding (exit 1), not a lab failure.
 *
 * The step runner measures the facts; this pure function judges them.
 */

/** What the runner measured about one watched feature around one window. */
export interface ServiceFacts {
  readonly feature: string;
  /** As the last `set` step left it (or as read back when none set it); `unknown` when neither told. */
  readonly state: 'on' | 'off' | 'unknown';
  /** The process that serves it (`pidof`). */
  readonly process: string;
  /** Seen running at the window's start and end; undefined when it could not be checked (no console). */
  readonly runningAtStart?: boolean;
  readonly runningAtEnd?: boolean;
  /**
   * Its own traffic (the definition's evidence, e.g. `*.safethings.avira.com`)
   * from when it was switched on (or the lab came up) to the window's end.
   * Absent when the definition names no traffic.
   */
  readonly activity?: { readonly what: string; readonly count: number; readonly sinceMs: number };
}

export interface LabFacts {
  /** The probe queries sent through the console before and after the window (each a fresh name); absent when there was no console to send them. */
  readonly probe?: { readonly before: ProbeResult; readonly after: ProbeResult };
  /** Contacts the lab recorded from the router inside the window (DNS and egress, probes excluded). */
  readonly contactsInWindow: number;
}

export interface ProbeResult {
  readonly name: string;
  /** The lab recorded it. */
  readonly seen: boolean;
}

export interface ServiceCheck extends ServiceFacts {
  /** What is wrong with the build, in words; absent when nothing is. */
  readonly finding?: string;
}

/** The judgement stored on each window (run.json, report.json). */
export interface WindowLiveness {
  /** The lab showed it could have seen contact in this window. */
  readonly labLive: boolean;
  /** How that was shown, or why it was not. */
  readonly proof: string;
  readonly services: readonly ServiceCheck[];
}

export function judgeWindowLiveness(lab: LabFacts, services: readonly ServiceFacts[], window: { readonly endMs: number }): WindowLiveness {
  const checks = services.map((s) => ({ ...s, ...finding(s, window.endMs) }));
  const active = services.find((s) => s.state === 'on' && (s.activity?.count ?? 0) > 0);
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
  if (lab.contactsInWindow > 0) {
    return { labLive: true, proof: `no console probe; the router's traffic was recorded in the window (${lab.contactsInWindow} contacts)`, services: checks };
  }
  return {
    labLive: false,
    proof: 'no console to send a probe and nothing recorded from the router: the lab may not have been able to see contact',
    services: checks.map(dropTrafficFinding),
  };
}

function finding(s: ServiceFacts, endMs: number): { finding?: string } {
  if (s.state !== 'on') return {};
  if (s.runningAtStart === false || s.runningAtEnd === false) {
    const when = s.runningAtStart === false ? '' : ' (it stopped during the window)';
    return { finding: `${s.feature} is on but its service (${s.process}) is not running${when}` };
  }
  if (s.runningAtStart === true && s.runningAtEnd === true && s.activity?.count === 0) {
    const seconds = Math.round((endMs - s.activity.sinceMs) / 1000);
    return { finding: `${s.feature} is on and ${s.process} runs, but it sent nothing (${s.activity.what}) in the ${seconds} s since it was switched on: hung` };
  }
  return {};
}

/** A lab that could not see contact cannot tell a hung service from a working one. */
function dropTrafficFinding(c: ServiceCheck): ServiceCheck {
  if (c.finding === undefined || !c.finding.endsWith(': hung')) return c;
  const { finding: _dropped, ...rest } = c;
  return rest;
}
