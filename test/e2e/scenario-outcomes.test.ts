import { expect } from 'chai';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../harness/paths.js';
import type { RunReport } from '../../harness/report/index.js';
import { fixture, runFirmlab } from './run-firmlab.js';

async function scenarioFile(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return file;
}

const HEADER = (old: string, neu: string) => `
name: swapped
builds:
  old: ${old}
  new: ${neu}
lab:
  upstream:
    - { match: "*.safethings.avira.com", answer: 203.0.113.10, ttl: 10 }
`;

// Needs the emulator image and build/firmware (make test builds both first).
describe('e2e: scenario outcomes and exit codes', function () {
  this.timeout(600_000);
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-outcomes-')); });

  it('exits 1 and names the failing expectation when the builds are swapped (new as old)', async () => {
    const text = (await readFile(join(projectRoot(), 'scenarios/homeshield-dns-request-logic.yaml'), 'utf8'))
      .replace(/old: \.\.\/build\/firmware\/archer-ax55v1-1\.0\.7\.bin/, `old: ${fixture('archer-ax55v1-1.0.9.bin')}`)
      .replace(/new: \.\.\/build\/firmware\/archer-ax55v1-1\.0\.9\.bin/, `new: ${fixture('archer-ax55v1-1.0.7.bin')}`);
    expect(text).to.contain('1.0.9.bin').and.contain('1.0.7.bin');
    const file = await scenarioFile(dir, 'swapped', text);
    const r = await runFirmlab(['run', file, '--report-dir', join(dir, 'swapped')]);
    expect(r.exitCode, r.stderr.slice(-1500)).to.equal(1);
    // 1.0.9 "as old" never shows the bug: the positive control fails, and 1.0.7 "as new" queries while off.
    expect(r.stdout).to.match(/^fail: archer-ax55v1\/old\/disabled \*\.safethings\.avira\.com: 0 contacts \(dns 0, /m);
    expect(r.stdout).to.match(/^fail: archer-ax55v1\/new\/disabled \*\.safethings\.avira\.com: \d+ contacts \(dns \d+, /m);
    const report = JSON.parse(await readFile(join(dir, 'swapped', 'report.json'), 'utf8')) as RunReport;
    expect(report.exitCode).to.equal(1);
  });

  it('exits 1 with a finding (not 2) when the feature is on but its service is not running', async () => {
    const file = await scenarioFile(dir, 'dead-service', `${HEADER(fixture('archer-ax55v1-1.0.9.bin'), fixture('archer-ax55v1-1.0.9.bin'))}
steps:
  - boot: { timeout: 60s }
  - login: { password: admin }
  - set: { homeshield: on }
  # The service under test dies while its feature is on.
  - console: { run: "killall homeshieldd; sleep 1; pidof homeshieldd || echo gone", expect: gone }
  - observe: { for: 5s, as: enabled }
expect:
  - { build: new, window: enabled, domain: "*.safethings.avira.com", none: true }
`);
    const r = await runFirmlab(['run', file, '--report-dir', join(dir, 'dead')]);
    expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(1);
    expect(r.stdout).to.match(/^finding: new\/enabled: homeshield is on but its service \(homeshieldd\) is not running$/m);
    const report = JSON.parse(await readFile(join(dir, 'dead', 'report.json'), 'utf8')) as RunReport;
    expect(report.analysis.findings.map((f) => f.build).sort()).to.deep.equal(['new', 'old']);
    expect(report.analysis.verdicts.map((v) => v.status)).to.deep.equal(['pass']);
  });

  it('exits 2 with the liveness message when the lab cannot see the router (its WAN taken down)', async () => {
    const file = await scenarioFile(dir, 'wan-down', `${HEADER(fixture('archer-ax55v1-1.0.9.bin'), fixture('archer-ax55v1-1.0.9.bin'))}
steps:
  - boot: { timeout: 60s }
  - login: { password: admin }
  - set: { homeshield: off }
  # Nothing the router sends can reach the lab now: a quiet window proves nothing.
  - console: { run: "ifconfig eth0 down; echo wan-down", expect: wan-down }
  - observe: { for: 5s, as: disabled }
expect:
  - { build: new, window: disabled, domain: "*.safethings.avira.com", none: true }
`);
    const r = await runFirmlab(['run', file, '--report-dir', join(dir, 'wan-down')]);
    expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(2);
    expect(r.stdout).to.match(/error: liveness: the lab was not shown live in new\/disabled \(the probe query the router was made to send after the window \([0-9a-f]+\.probe\.firmlab\.test, through its console\) never reached the lab\)/);
  });

  it('exits 1 when the build, switched off, still asks over IPv6 (which the lab routes nowhere): the query is read from wan.pcap and counted', async () => {
    // The router is given an IPv6 address by hand (the lab offers none) and,
    // while HomeShield is off, asks an IPv6 resolver. The lab answers no
    // neighbour discovery, so the one IPv6 destination a packet leaves for
    // unanswered is a multicast group: a global-scope one (ff0e::) stands in
    // for a hard-coded resolver. Nothing answers; the capture of its WAN
    // still has the query, name and all.
    const ipv6 = 'ip -6 addr add 2001:db8:f1::2/64 dev eth0 && echo v6-up';
    const file = await scenarioFile(dir, 'ipv6', `${HEADER(fixture('archer-ax55v1-1.0.9.bin'), fixture('archer-ax55v1-1.0.9.bin'))}
steps:
  - boot: { timeout: 60s }
  - set: { homeshield: off }
  - console: { run: "${ipv6}", expect: v6-up }
  - console: { run: "(sleep 4; nslookup dfp-dual.safethings.avira.com ff0e::53) >/dev/null 2>&1 & echo asked", expect: asked }
  - observe: { for: 15s, as: disabled }
expect:
  - { build: new, window: disabled, domain: "*.safethings.avira.com", none: true }
`);
    const r = await runFirmlab(['run', file, '--report-dir', join(dir, 'ipv6')]);
    expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(1);
    expect(r.stdout).to.match(/^fail: new\/disabled \*\.safethings\.avira\.com: [1-9]\d* contacts \(dns [1-9]\d*, /m);
    const lines = (await readFile(join(dir, 'ipv6', 'new', 'ipv6.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.name === 'dfp-dual.safethings.avira.com')).to.deep.include({
      kind: 'dns-query', blocked: 'ipv6', response: null, resolver: { address: 'ff0e::53', port: 53 },
    });
  });

  it('says which path each switch took; falls back to the console only where the step allows it', async () => {
    const file = await scenarioFile(dir, 'fallback', `${HEADER(fixture('archer-ax55v1-1.0.9.bin'), fixture('archer-ax55v1-1.0.9.bin'))}
steps:
  - boot: { timeout: 60s }
  - login: { password: admin }
  - set: { homeshield: on }
  - set: { homeshield: on, via: console }
  # The web UI goes away: the next switch may use the console, and says so.
  - console: { run: "killall httpd; echo web-down", expect: web-down }
  - set: { homeshield: off, fallback: console }
  - observe: { for: 5s, as: disabled }
expect:
  - { build: new, window: disabled, domain: "*.safethings.avira.com", none: true }
`);
    const r = await runFirmlab(['run', file, '--report-dir', join(dir, 'fallback')]);
    expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(0);
    expect(r.stderr).to.match(/\[new\] homeshield -> off \(via console, read back; fell back from the web UI: FIRMLAB_CONTROL_UNREACHABLE: /);
    const report = JSON.parse(await readFile(join(dir, 'fallback', 'report.json'), 'utf8')) as RunReport;
    const markers = report.analysis.timeline.find((t) => t.build === 'new')!.markers;
    expect(markers.map((m) => m.via)).to.deep.equal(['web', 'console', 'console']);
    expect(markers[2]!.fellBack).to.match(/^FIRMLAB_CONTROL_UNREACHABLE/);
    expect(await readFile(join(dir, 'fallback', 'report.html'), 'utf8')).to.contain('homeshield off via console (fell back)');

    // The same step without `fallback` fails the build: a web path is never given up silently.
    const strict = await scenarioFile(dir, 'no-fallback', (await readFile(file, 'utf8')).replace('{ homeshield: off, fallback: console }', '{ homeshield: off }'));
    const s = await runFirmlab(['run', strict, '--report-dir', join(dir, 'no-fallback')]);
    expect(s.exitCode, s.stdout + s.stderr.slice(-1500)).to.equal(2);
    expect(s.stdout).to.match(/error: FIRMLAB_CONTROL_UNREACHABLE: .*step 6 \(set homeshield=off, line \d+\)/);
  });

  it('exits 64 with file:line:col for a typo in a scenario, booting nothing', async () => {
    const file = await scenarioFile(dir, 'typo', `${HEADER(fixture('archer-ax55v1-1.0.7.bin'), fixture('archer-ax55v1-1.0.9.bin'))}
steps:
  - boot: { timeout: 60s }
  - obsrve: { for: 5s, as: x }
`);
    const r = await runFirmlab(['run', file]);
    expect(r.exitCode).to.equal(64);
    expect(r.stderr).to.match(/^FIRMLAB_SCENARIO_INVALID: /);
    expect(r.stderr).to.match(/typo\.yaml:\d+:\d+: steps\[1\]/).and.match(/observe/);
  });

  it('the upstream-faults scenario: under SERVFAIL the old build storms and the new one backs off', async () => {
    const r = await runFirmlab(['run', join(projectRoot(), 'scenarios/homeshield-upstream-faults.yaml'), '--report-dir', join(dir, 'faults')]);
    expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(0);
    const report = JSON.parse(await readFile(join(dir, 'faults', 'report.json'), 'utf8')) as RunReport;
    const servfails = (build: string) => report.analysis.windowStats
      .filter((w) => w.build === build && w.domain === '*.safethings.avira.com')
      .reduce((n, w) => n + w.failures.servfail, 0);
    expect(servfails('archer-ax55v1/old')).to.be.greaterThan(10 * Math.max(1, servfails('archer-ax55v1/new')) - 1);
  });
});
