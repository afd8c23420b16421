import { expect } from 'chai';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../../harness/report/index.js';
import { fixture, runFirmlab } from './run-firmlab.js';

/*
 * "No false fixed", on firmware that really misbehaves: each variant of the
 * fixed Archer AX55 v1 1.0.9 build (test/fixtures/firmware, `variants/`) has
 * one defect, and each gets the exit code and the verdict or finding a QA
 * engineer should see. One build per run: the defect is the new build's.
 */
const scenario = (variant: string, steps: string, expect: string) => `
name: variant-${variant}
builds:
  new: ${fixture(`variants/archer-ax55v1-1.0.9-${variant}.bin`)}
lab:
  upstream:
    - { match: "*.safethings.avira.com", answer: 203.0.113.10, ttl: 10 }
steps:
  - boot: { timeout: 60s }
  - login: { password: admin }
${steps}
expect:
${expect}
`;

const ON_THEN_OFF = `
  - set: { homeshield: on }
  - observe: { for: 15s, as: enabled }
  - set: { homeshield: off }
  - observe: { for: 15s, as: disabled }`;

const THE_FIX = `
  - { build: new, window: enabled, domain: "*.safethings.avira.com", min_per_day: 1000 }
  - { build: new, window: disabled, domain: "*.safethings.avira.com", none: true }
  - { build: new, window: disabled, egress: { address: 203.0.113.10 }, none: true }`;

// Needs the emulator image and build/firmware/variants (make test builds both first).
describe('e2e: defective builds get the verdict they deserve', function () {
  this.timeout(600_000);
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-variants-')); });

  async function run(variant: string, steps: string, expectations: string) {
    const file = join(dir, `${variant}.yaml`);
    await writeFile(file, scenario(variant, steps, expectations));
    const r = await runFirmlab(['run', file, '--report-dir', join(dir, variant)]);
    const report = JSON.parse(await readFile(join(dir, variant, 'report.json'), 'utf8')) as RunReport;
    return { ...r, report };
  }

  it('TLS to the remembered address while off, no DNS: not fixed (exit 1), the verdict names the SNI contacts', async () => {
    const r = await run('tls-when-off', ON_THEN_OFF, THE_FIX);
    expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(1);
    expect(r.stdout).to.match(/^fail: new\/disabled \*\.safethings\.avira\.com: \d+ contacts \(dns 0, sni [1-9]\d*, host 0\)/m);
    expect(r.stdout).to.match(/^fail: new\/disabled egress 203\.0\.113\.10: [1-9]\d* contacts/m);
    const disabled = r.report.analysis.windowStats.find((w) => w.window === 'disabled' && w.domain === '*.safethings.avira.com')!;
    expect(disabled.sources).to.include({ dns: 0 });
    expect(disabled.sources!.sni).to.be.greaterThan(0);
  });

  it('stops its service when off and starts it on "on": the clean fix passes (exit 0), with no finding', async () => {
    const r = await run('stops-when-off', `${ON_THEN_OFF}
  - set: { homeshield: on }
  - observe: { for: 15s, as: again }`, `${THE_FIX}
  - { build: new, window: again, domain: "*.safethings.avira.com", min_per_day: 1000 }`);
    expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(0);
    expect(r.report.analysis.findings).to.deep.equal([]);
    const off = r.report.analysis.timeline[0]!.windows.find((w) => w.window === 'disabled')!;
    expect(off.labLive).to.equal(true);
    // The service really was gone while off: the quiet came from a stopped process, and that was accepted.
    expect(r.stderr).to.match(/window disabled: 0 queries .*lab live \(probes recorded before and after the window\); homeshield off, homeshieldd NOT running/);
    expect(r.stderr).to.match(/window again: [1-9]\d* queries .*homeshield on, homeshieldd running/);
  });

  it('dies at start: a broken build (exit 1) with the reason, not a harness error', async () => {
    const r = await run('dies-at-start', `
  - set: { homeshield: on }
  - observe: { for: 15s, as: enabled }`, `
  - { build: new, window: enabled, domain: "*.safethings.avira.com", min_per_day: 1000 }`);
    expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(1);
    expect(r.stdout).to.match(/^finding: new\/enabled: homeshield is on but its service \(homeshieldd\) is not running/m);
    expect(r.stdout).to.match(/^(fail|inconclusive): new\/enabled \*\.safethings\.avira\.com: 0 contacts/m);
    expect(r.report.error).to.equal(undefined);
  });

  it('hangs (process present, silent): told apart from a working service, exit 1 "hung"', async () => {
    const r = await run('hangs', `
  - set: { homeshield: on }
  - observe: { for: 15s, as: enabled }`, `
  - { build: new, window: enabled, egress: { address: 203.0.113.10 }, none: true }`);
    expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(1);
    expect(r.stdout).to.match(/^finding: new\/enabled: homeshield is on and homeshieldd runs, but it sent nothing \(\*\.safethings\.avira\.com\) in the \d+ s since it was switched on: hung$/m);
    // The only expectation passed: the finding alone makes the run fail.
    expect(r.report.analysis.verdicts.map((v) => v.status)).to.deep.equal(['pass']);
  });

  it('a console behind a login: the profile\'s user gets a shell, the feature switches through it, probes prove the lab (exit 0)', async () => {
    const r = await run('login-prompt', `
  - set: { homeshield: on, via: console }
  - observe: { for: 15s, as: enabled }
  - set: { homeshield: off, via: console }
  - observe: { for: 15s, as: disabled }`, THE_FIX);
    expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(0);
    expect(r.stderr).to.match(/homeshield=off via console/);
    expect(r.stderr).to.match(/window disabled: 0 queries .*lab live \(probes recorded before and after the window\)/);
    // The conversation as the router's console printed it: askfirst, then busybox login.
    const log = await readFile(join(dir, 'login-prompt', 'new', 'console.log'), 'latin1');
    expect(log).to.match(/login: root\r?\n/).and.match(/Password: /);
  });

  it('a feature the scenario declares itself, its service proven by its start line alone: the working build is clean, the hanging one "hung"', async () => {
    // No `process` in `alive`: the service is shown running by the console
    // line it prints when it starts or takes a setting; its own traffic
    // tells a working service from a hung one.
    const file = join(dir, 'own-feature.yaml');
    await writeFile(file, `
name: own-feature
builds:
  old: ${fixture('archer-ax55v1-1.0.9.bin')}
  new: ${fixture('variants/archer-ax55v1-1.0.9-hangs.bin')}
lab:
  upstream:
    - { match: "*.safethings.avira.com", answer: 203.0.113.10, ttl: 10 }
features:
  - name: shield
    description: HomeShield as a user would declare it, without the fixture profile's definition
    values: { on: ["on"], off: ["off"] }
    console:
      set: { on: homeshield set on, off: homeshield set off }
      read: homeshield status
      pattern: 'enable=(\\S+)'
    alive: { line: "homeshield: (started|setting changed)", traffic: "*.safethings.avira.com" }
steps:
  - boot: { timeout: 60s }
  - set: { shield: on }
  - observe: { for: 15s, as: enabled }
`);
    const r = await runFirmlab(['run', file, '--report-dir', join(dir, 'own-feature')]);
    expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(1);
    const report = JSON.parse(await readFile(join(dir, 'own-feature', 'report.json'), 'utf8')) as RunReport;
    expect(r.stdout).to.match(/^finding: new\/enabled: shield is on and its service runs, but it sent nothing \(\*\.safethings\.avira\.com\) in the \d+ s since it was switched on: hung$/m);
    expect(report.analysis.findings.map((f) => f.build)).to.deep.equal(['new']);
    // The working build's window, as progress shows it: its start line seen, its own traffic counted, no process checked.
    expect(r.stderr).to.match(/lab live \([^)]*\); shield on, [1-9]\d* start lines since on, [1-9]\d* of its own contacts since on/);
    expect(r.stderr).to.match(/shield=on via console/);
  });
});
