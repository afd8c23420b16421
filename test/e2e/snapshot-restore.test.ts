import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DockerEngine, newId } from '../../harness/engine/index.js';
import type { DnsQueryRecord } from '../../harness/dns/index.js';
import type { Console } from '../../harness/emulator/console.js';
import { Lab } from '../../harness/lab/lab.js';
import { prepareLab } from '../../harness/lab/prepare-lab.js';
import { fileSha256, SnapshotStore } from '../../harness/lab/snapshot-store.js';
import type { RunReport } from '../../harness/report/index.js';
import { leftovers } from './lab-support.js';
import { OPENWRT } from './real-firmware-support.js';
import { fixture, quietScenario, runFirmlab } from './run-firmlab.js';

/*
 * Issue #12: a ready router is saved once (QEMU's migration stream of the
 * stopped VM plus its flash) and later labs of the same build restore it
 * instead of booting. A restored router must work as a booted one: its web
 * UI, console, DNS, clock and lease; a damaged or unloadable snapshot must
 * never be used; the scenario report says which builds were restored.
 */
describe('e2e: snapshots of ready routers', function () {
  this.timeout(900_000);
  let dir: string;
  let engine: DockerEngine;
  const session = `e2e-snap-${newId()}`;
  const env = () => ({ ...process.env, FIRMLAB_CACHE_DIR: join(dir, 'cache'), FIRMLAB_SNAPSHOTS: 'on' });
  const store = () => new SnapshotStore(join(dir, 'cache', 'snapshots'));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-snap-'));
    engine = await DockerEngine.connect();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** One lab of `file` with snapshots in `auto` mode, started; `use` runs while it is up. */
  async function withLab<T>(file: string, run: string, use: (lab: Lab, con: Console) => Promise<T>, timeoutMs = 60_000): Promise<T> {
    const prepared = await prepareLab(engine, { file, session, run, runDir: join(dir, run), env: env(), snapshot: 'auto', sinkhole: true });
    const lab = await Lab.up(engine, prepared.spec, { timeoutMs });
    try {
      const con = await lab.start();
      return await use(lab, con);
    } finally {
      await lab.down();
    }
  }

  const queriesAfter = (lab: Lab, fromMs: number) => lab.recorder.records.filter((r): r is DnsQueryRecord => r.kind === 'dns-query' && r.atMs >= fromMs);

  async function waitForQuery(lab: Lab, fromMs: number, pattern: RegExp, ms: number): Promise<DnsQueryRecord | undefined> {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(250)) {
      const q = queriesAfter(lab, fromMs).find((r) => pattern.test(r.name));
      if (q) return q;
    }
    return undefined;
  }

  describe('the fixture (1.0.7, HomeShield on: about a query a second)', () => {
    let savedAtMs = 0;
    let key = '';

    it('boots cold the first time, saves the ready router, and the router runs on after the save', async () => {
      await withLab(fixture('archer-ax55v1-1.0.7.bin'), 'cold', async (lab) => {
        const s = lab.snapshot!;
        expect(s).to.deep.include({ mode: 'auto', restored: false });
        expect(s.note).to.equal(undefined);
        expect(s.saved!.bytes).to.be.above(1 << 20);
        expect(lab.boot.phases.readyBy).to.include('consoleMarker');
        savedAtMs = Date.now();
        key = s.key;
        expect(await store().has(key)).to.equal(true);
        expect(await waitForQuery(lab, savedAtMs, /safethings\.avira\.com$/, 20_000), 'DNS after the save').to.not.equal(undefined);
      });
    });

    it('restores it next time: web UI, console, DNS, clock and lease work as after a boot', async () => {
      // Let the saved clock fall behind, so bringing it forward shows.
      await sleep(Math.max(0, savedAtMs + 20_000 - Date.now()));
      await withLab(fixture('archer-ax55v1-1.0.7.bin'), 'restored', async (lab) => {
        const restoredAt = Date.now();
        expect(lab.snapshot).to.deep.include({ key, restored: true });
        expect(lab.boot.phases.readyBy).to.deep.equal(['restored', 'webUiReady']);
        expect(lab.boot.phases.kernelUpMs, 'no boot was printed').to.equal(undefined);
        expect((await fetch(await lab.emulator.webBaseUrl())).status).to.equal(200);
        const q = await waitForQuery(lab, restoredAt, /safethings\.avira\.com$/, 20_000);
        expect(q, 'the restored router resolves through this lab').to.not.equal(undefined);
        const con = await lab.start();
        const guestNow = Number((await con.exec('date +%s', { timeoutMs: 20_000 })).output.trim());
        expect(Math.abs(guestNow - Date.now() / 1000), 'the guest clock was brought forward').to.be.below(5);
        expect(lab.snapshot!.note).to.equal(undefined);
        // The lease renewal asked for after the restore reaches this lab's DHCP server.
        for (let i = 0; i < 40 && !(await readFile(join(lab.runDir, 'dhcp.log'), 'utf8')).includes('sending ACK'); i++) await sleep(250);
        expect(await readFile(join(lab.runDir, 'dhcp.log'), 'utf8')).to.include('sending ACK to 10.200.0.2');
      });
    });

    it('never uses a damaged snapshot: a flipped byte is caught by its sha256, the router boots and is saved anew', async () => {
      const snap = (await store().get(key))!;
      const state = await readFile(snap.stateFile);
      state[state.length >> 1] ^= 0xff;
      await writeFile(snap.stateFile, state);
      await withLab(fixture('archer-ax55v1-1.0.7.bin'), 'damaged', async (lab) => {
        expect(lab.snapshot).to.deep.include({ key, restored: false });
        expect(lab.boot.phases.readyBy).to.include('consoleMarker');
        expect(lab.snapshot!.saved).to.not.equal(undefined);
      });
      const again = (await store().get(key))!;
      expect(again.meta.files.vmstate.sha256).to.equal((await fileSha256(again.stateFile)).sha256);
    });

    it('a snapshot QEMU cannot load (sound on disk, not a VM state) is discarded and the router booted instead', async () => {
      const snap = (await store().get(key))!;
      await writeFile(snap.stateFile, Buffer.alloc(4096, 0x5a));
      const meta = { ...snap.meta, files: { ...snap.meta.files, vmstate: await fileSha256(snap.stateFile) } };
      await writeFile(join(snap.dir, 'meta.json'), JSON.stringify(meta));
      await withLab(fixture('archer-ax55v1-1.0.7.bin'), 'unloadable', async (lab) => {
        expect(lab.snapshot!.restored).to.equal(false);
        expect(lab.snapshot!.note).to.match(/would not restore .*; discarded, booted instead/);
        expect(lab.boot.phases.readyBy).to.include('consoleMarker');
        expect((await fetch(await lab.emulator.webBaseUrl())).status).to.equal(200);
      });
      expect(await leftovers(engine, session)).to.deep.equal([]);
    });
  });

  describe('real firmware: OpenWrt 15.05.1 on MIPS', () => {
    it('restores to LuCI answering, and its own NTP lookups reach the lab', async () => {
      await withLab(OPENWRT, 'openwrt-cold', async (lab) => expect(lab.snapshot!.saved).to.not.equal(undefined), 150_000);
      await withLab(OPENWRT, 'openwrt-restored', async (lab, con) => {
        const restoredAt = Date.now();
        expect(lab.snapshot!.restored).to.equal(true);
        expect(lab.boot.phases.readyBy).to.deep.equal(['restored', 'webUiReady']);
        // uhttpd serves OpenWrt's front page, which sends the browser on to LuCI. (LuCI's own first
        // request can take minutes on an emulated router, booted or restored, while the jffs2
        // overlay is switched in: the LuCI e2e tests give it that time.)
        const page = await fetch(await lab.emulator.webBaseUrl(), { signal: AbortSignal.timeout(30_000) });
        expect(page.status).to.equal(200);
        expect(await page.text()).to.include('cgi-bin/luci');
        // busybox ntpd looks its pool up once, as it starts; whether that falls before or after the
        // snapshot was saved depends on the cold boot's timing. So the restored router's own ntpd
        // is started again, as switching NTP in LuCI would, and its lookups must reach the lab.
        await con.exec('/etc/init.d/sysntpd restart', { timeoutMs: 30_000 });
        expect(await waitForQuery(lab, restoredAt, /\.openwrt\.pool\.ntp\.org$/, 60_000), 'an NTP lookup after the restore').to.not.equal(undefined);
      });
    });
  });

  describe('a scenario run', () => {
    it('says in report.json which builds were restored; --no-snapshot boots them', async () => {
      const file = join(dir, 'quiet.yaml');
      await writeFile(file, quietScenario('snapshot-quiet', { bootTimeout: '60s', observe: '10s' }));
      const report = async (n: number, extra: string[] = []) => {
        const r = await runFirmlab(['run', file, '--report-dir', join(dir, `report-${n}`), ...extra], { env: env() });
        expect(r.exitCode, r.stdout + r.stderr.slice(-1500)).to.equal(0);
        return JSON.parse(await readFile(join(dir, `report-${n}`, 'report.json'), 'utf8')) as RunReport;
      };
      const first = await report(1);
      expect(first.builds[0]!.snapshot).to.deep.include({ restored: false });
      expect(first.builds[0]!.snapshot!.saved).to.not.equal(undefined);
      const second = await report(2);
      expect(second.builds[0]!.snapshot).to.deep.include({ restored: true, key: first.builds[0]!.snapshot!.key });
      expect(second.analysis.verdicts.map((v) => v.status)).to.deep.equal(['pass']);
      const cold = await report(3, ['--no-snapshot']);
      expect(cold.builds[0]!.snapshot).to.equal(undefined);
      expect(cold.builds[0]!.timings['boot.kernelUpMs']).to.be.a('number');
    });
  });
});
