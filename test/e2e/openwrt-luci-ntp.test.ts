import { expect } from 'chai';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFeature } from '../../harness/control/features/index.js';
import type { FeatureSwitch } from '../../harness/control/feature-switch.js';
import type { LuciSession } from '../../harness/control/luci/luci-session.js';
import { openWebUi } from '../../harness/control/web-ui.js';
import type { Console } from '../../harness/emulator/console.js';
import { DockerEngine, newId } from '../../harness/engine/index.js';
import { Lab } from '../../harness/lab/lab.js';
import { prepareLab, type PreparedLab } from '../../harness/lab/prepare-lab.js';
import { leftovers } from './lab-support.js';
import { firstQuery, OPENWRT } from './real-firmware-support.js';

/** How long the lab must stay quiet after NTP is switched off: ntpd polled every ~18 s, and re-resolved every 33 s while unresolved. */
const QUIET_MS = 40_000;

/**
 * OpenWrt's NTP client switched through its real LuCI, as a user would in
 * a browser: log in as root (no password on a fresh image), re-post the
 * System page with "Enable NTP client" cleared, read the page back; then
 * check the router (console) and the lab (recorder, sinkhole) agree.
 */
describe('real firmware e2e: OpenWrt 15.05.1 NTP switched through LuCI (System page)', function () {
  let engine: DockerEngine;
  let prepared: PreparedLab;
  let lab: Lab;
  let con: Console;
  let luci: LuciSession;
  let ntp: FeatureSwitch;
  const seen = {
    firstToken: '', before: '', beforeAlive: false as boolean | undefined,
    offVia: '', offRead: '', offInit: '', offPid: '', offUci: '', quietDns: -1, quietNtp: -1, quietMs: 0,
    tokenBeforeOn: '', tokenAfterOn: '', onVia: '', onRead: '', onInit: '', onPid: '', logins: 0, dnsAfterOn: -1,
  };
  const shell = async (cmd: string) => (await con.run(cmd, { timeoutMs: 20_000 })).trim();

  before(async () => {
    engine = await DockerEngine.connect();
    const runDir = await mkdtemp(join(tmpdir(), 'fl-openwrt-luci-'));
    prepared = await prepareLab(engine, {
      file: OPENWRT, session: `e2e-luci-${newId()}`, run: 'openwrt-luci', runDir, sinkhole: true,
      // A short TTL, so dnsmasq's cache cannot hide ntpd's lookups when it starts again.
      rules: [{ match: '*.openwrt.pool.ntp.org', answers: [{ type: 'A', data: '203.0.113.123' }], ttl: 10 }],
    });
    lab = await Lab.up(engine, prepared.spec, { timeoutMs: 150_000 });
    con = await lab.boot.boot();
    await firstQuery(lab, /\.openwrt\.pool\.ntp\.org$/, 120_000);
    const poolQueries = (fromMs: number, toMs = Infinity) => lab.recorder.records
      .filter((r) => r.kind === 'dns-query' && /\.pool\.ntp\.org$/.test(r.name) && r.atMs >= fromMs && r.atMs < toMs).length;
    const ntpPackets = (fromMs: number, toMs: number) => (lab.sinkhole?.records ?? [])
      .filter((e) => e.transport === 'udp' && e.destination.port === 123 && e.atMs >= fromMs && e.atMs < toMs).length;

    // The session as the login step opens it: the profile's dialect and default user, a fresh image's empty password.
    luci = openWebUi(prepared.profile.profile.webUi, 'openwrt', { baseUrl: (await lab.emulator.webBaseUrl()).replace(/\/$/, ''), password: '' }) as LuciSession;
    seen.firstToken = await luci.login();
    ntp = createFeature('ntp', luci, con, prepared.profile.profile.features);
    seen.before = await ntp.read();
    seen.beforeAlive = await ntp.alive();

    seen.offVia = (await ntp.set('off')).via;
    const quietFrom = Date.now();
    seen.offRead = await ntp.read();
    seen.offInit = await shell('/etc/init.d/sysntpd enabled; echo $?');
    seen.offPid = await shell('pidof ntpd');
    seen.offUci = await shell('uci -q get system.ntp.enabled');
    await sleep(Math.max(0, QUIET_MS - (Date.now() - quietFrom)));
    await lab.recorder.flush();
    const quietTo = Date.now();
    seen.quietMs = quietTo - quietFrom;
    seen.quietDns = poolQueries(quietFrom, quietTo);
    seen.quietNtp = ntpPackets(quietFrom, quietTo);

    // LuCI forgets every session when rpcd restarts: the next request must log in again by itself.
    await shell('/etc/init.d/rpcd restart; sleep 2');
    seen.tokenBeforeOn = luci.token ?? '';
    const onAt = Date.now();
    seen.onVia = (await ntp.set('on')).via;
    seen.logins = luci.logins;
    seen.tokenAfterOn = luci.token ?? '';
    seen.onRead = await ntp.read();
    seen.onInit = await shell('/etc/init.d/sysntpd enabled; echo $?');
    seen.onPid = await shell('pidof ntpd');
    for (let i = 0; i < 80 && poolQueries(onAt) === 0; i++) await sleep(500);
    await lab.recorder.flush();
    seen.dnsAfterOn = poolQueries(onAt);
    await lab.down();
  });

  after(async () => {
    await lab?.down();
    if (lab) expect(await leftovers(engine, lab.spec.session)).to.deep.equal([]);
  });

  it('logs in to LuCI as root with the empty password of a fresh image and holds a ;stok= token', () => {
    expect(luci.user).to.equal('root');
    expect(seen.firstToken).to.match(/^[0-9a-f]{32}$/);
  });

  it('reads NTP as on from the System page at first, with ntpd running', () => {
    expect(seen).to.include({ before: 'on', beforeAlive: true });
  });

  it('switches it off through the System page form and reads the checkbox back cleared', () => {
    expect(seen).to.include({ offVia: 'web', offRead: 'off' });
  });

  it('the console agrees: the sysntpd init script disabled, no ntpd; UCI still says enabled (LuCI does not write it)', () => {
    expect(seen).to.include({ offInit: '1', offPid: '', offUci: '1' });
  });

  it('the lab heard nothing from NTP while it was off: no pool DNS queries, no UDP 123', () => {
    expect(seen.quietMs).to.be.at.least(QUIET_MS);
    expect(seen).to.include({ quietDns: 0, quietNtp: 0 });
  });

  it('after LuCI forgot the session, switching it on logged in again once by itself', () => {
    expect(seen.logins).to.equal(2);
    expect(seen.tokenBeforeOn).to.equal(seen.firstToken);
    expect(seen.tokenAfterOn).to.match(/^[0-9a-f]{32}$/).and.not.equal(seen.firstToken);
  });

  it('switches it on again: checkbox read back, init script enabled, ntpd running and asking for its pool', () => {
    expect(seen).to.include({ onVia: 'web', onRead: 'on', onInit: '0' });
    expect(seen.onPid).to.match(/^\d+$/);
    expect(seen.dnsAfterOn, 'busybox ntpd resolves its pool names when it starts').to.be.at.least(1);
  });
});
