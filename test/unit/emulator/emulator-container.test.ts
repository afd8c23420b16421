import { expect } from 'chai';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerSpec } from '../../../harness/engine/index.js';
import { kernelNamed } from '../../../harness/emulator/arch-table.js';
import { DEFAULT_LAYOUT } from '../../../harness/emulator/guest-layout.js';
import { EmulatorContainer, type EmulatorEngine, type EmulatorHandle } from '../../../harness/emulator/emulator-container.js';

class FakeHandle implements EmulatorHandle {
  id = 'c0ffee';
  name = 'firmlab-s-r-emulator';
  calls: string[] = [];
  execs: string[][] = [];
  async start() { this.calls.push('start'); }
  async exec(cmd: string[]) {
    this.execs.push(cmd);
    if (cmd[0] === 'conntrack') {
      return { exitCode: 0, stdout: 'tcp      6 118 TIME_WAIT src=10.200.0.2 dst=192.0.2.10 sport=40001 dport=443 src=10.213.5.1 dst=10.213.5.2 sport=36000 dport=40001 [ASSURED] mark=0 use=1\n', stderr: 'conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n' };
    }
    if (cmd[0] === 'cat') {
      const status = 'Name:\tqemu-system-aar\nVmRSS:\t  150000 kB\nRssAnon:\t  120000 kB\nRssFile:\t   29000 kB\nRssShmem:\t    1000 kB\n';
      return { exitCode: 0, stdout: `${status}55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:  150000 kB\nPss:  135500 kB\nPss_Anon:  120000 kB\n`, stderr: '' };
    }
    return { exitCode: 0, stdout: 'Chain FIRMLAB_EGRESS (2 references)\n pkts bytes target prot opt in out source destination\n 1 84 DROP 1 -- * * 0.0.0.0/0 0.0.0.0/0\n', stderr: '' };
  }
  async logs(onLine: (l: string, s: 'stdout' | 'stderr') => void) { onLine('lab-entry: taps and firewall ready', 'stderr'); }
  async wait() { return 0; }
  async inspect() { return { running: true, exitCode: 0, ipByNetwork: { 'firmlab-s-r': '10.213.5.2' } }; }
  async memory() { return { usage: 150e6, peak: 190e6 }; }
  async kill() { this.calls.push('kill'); }
  async remove() { this.calls.push('remove'); }
}

describe('EmulatorContainer', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'fl-emu-')); await writeFile(join(dir, 'root.sqfs'), 'hsqs'); });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function make(extra: Record<string, unknown> = {}) {
    const handle = new FakeHandle();
    let spec: ContainerSpec | undefined;
    const engine: EmulatorEngine = { createContainer: async (s) => { spec = s; return handle; } };
    const emu = await EmulatorContainer.create(engine, {
      image: 'firmlab/emulator:abc', owner: { session: 's', run: 'r' }, network: { name: 'firmlab-s-r' },
      runDir: join(dir, 'run'), rootfsImage: join(dir, 'root.sqfs'), kernel: kernelNamed('arm64'), recorder: '10.213.5.1:5353', gatewayRecorder: '10.213.5.1:5354', ...extra,
    });
    return { emu, handle, spec: spec! };
  }

  it('creates the container with the network capabilities only, the run dir, the read-only root and the argv', async () => {
    const { emu, spec } = await make();
    expect(spec).to.deep.include({
      image: 'firmlab/emulator:abc', capDrop: ['ALL'], capAdd: ['NET_ADMIN', 'NET_RAW', 'NET_BIND_SERVICE'], devices: ['/dev/net/tun'],
      securityOpt: ['no-new-privileges'], readonlyRootfs: true, pidsLimit: 128, cpus: 1.5,
      // The guest's 128 MiB, the translation cache's 32 and 256 for QEMU and the lab's own processes.
      memoryBytes: (128 + 32 + 256) * 2 ** 20,
      env: {
        FIRMLAB_RECORDER: '10.213.5.1:5353', FIRMLAB_RECORDER_GATEWAY: '10.213.5.1:5354', FIRMLAB_GUEST_LAN_MAC: '52:54:00:f1:00:02',
        FIRMLAB_WAN_GATEWAY: '10.200.0.1/24', FIRMLAB_WAN_GUEST: '10.200.0.2',
        FIRMLAB_GUEST_LAN: '192.168.0.1', FIRMLAB_LAN_HOST: '192.168.0.2/24', FIRMLAB_WEB_PORTS: '80',
        FIRMLAB_WAN_TAP_MAC: '52:54:00:f1:ff:01', FIRMLAB_LAN_TAP_MAC: '52:54:00:f1:ff:02',
      }, network: { name: 'firmlab-s-r' },
    });
    expect(spec.owner).to.deep.equal({ role: 'emulator', session: 's', run: 'r' });
    expect(spec.binds).to.deep.equal([`${join(dir, 'run')}:/run/firmlab`, `${join(dir, 'root.sqfs')}:/firmlab/rootfs.squashfs:ro`]);
    expect(spec.cmd).to.equal(emu.argv);
    expect(emu.argv[0]).to.equal('qemu-system-aarch64');
    expect(emu.argv).to.include('if=none,id=rootfs,file=/firmlab/rootfs.squashfs,format=raw,readonly=on');
    expect(emu.argv).to.include('if=none,id=config,file=/run/firmlab/config.img,format=raw');
    expect((await stat(join(dir, 'run', 'config.img'))).size).to.equal(1024 * 1024);
  });

  it('caps processes and CPUs as the device profile\'s limits say', async () => {
    const { spec } = await make({ layout: { ...DEFAULT_LAYOUT, limits: { pids: 64, cpus: 0.75 } } });
    expect(spec).to.deep.include({ pidsLimit: 64, cpus: 0.75 });
  });

  it('hands lab-entry.sh a VLAN layout\'s VLANs and trunk ports; the guest\'s LAN MAC is its one NIC\'s', async () => {
    const { spec } = await make({ layout: { ...DEFAULT_LAYOUT, nics: { vlans: { wan: 2, lan: 3 } } } });
    expect(spec.env).to.include({ FIRMLAB_TRUNK_VLANS: '2 3', FIRMLAB_TRUNK_UDP: '4001 4000', FIRMLAB_GUEST_LAN_MAC: '52:54:00:f1:00:01' });
    const { spec: two } = await make();
    expect(two.env).to.not.have.any.keys('FIRMLAB_TRUNK_VLANS', 'FIRMLAB_TRUNK_UDP');
  });

  it('keeps an existing config disk as it is', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'run'));
    await writeFile(join(dir, 'run', 'config.img'), 'saved settings');
    await make();
    expect((await stat(join(dir, 'run', 'config.img'))).size).to.equal('saved settings'.length);
  });

  it('reads the lab address, the egress counter and QEMU memory (RSS split into its own and shared file pages, and PSS)', async () => {
    const { emu, handle } = await make();
    expect(await emu.webBaseUrl()).to.equal('http://10.213.5.2:80/');
    expect((await emu.egressCounters()).byProtocol.icmp).to.deep.equal({ packets: 1, bytes: 84 });
    expect(handle.execs[0]).to.deep.equal(['iptables', '-w', '-L', 'FIRMLAB_EGRESS', '-v', '-x', '-n']);
    expect(await emu.qemuMemory()).to.deep.equal({ rssBytes: 150000 * 1024, privateBytes: 121000 * 1024, sharedFileBytes: 29000 * 1024, pssBytes: 135500 * 1024 });
    expect(handle.execs.at(-1)).to.deep.equal(['cat', '/proc/1/status', '/proc/1/smaps_rollup']);
    expect(await emu.memory()).to.deep.equal({ usage: 150e6, peak: 190e6 });
  });

  it('reads the conntrack table of its namespace', async () => {
    const { emu, handle } = await make();
    const [e] = await emu.natEntries();
    expect(handle.execs[0]).to.deep.equal(['conntrack', '-L', '-f', 'ipv4']);
    expect(e?.original.destination).to.deep.equal({ address: '192.0.2.10', port: 443 });
    expect(e?.dnat).to.equal(true);
  });

  it('reports the exit with the container output, and disposal kills then removes once', async () => {
    const { emu, handle } = await make();
    await emu.start();
    expect(await emu.exited()).to.deep.equal({ exitCode: 0, stderrTail: ['lab-entry: taps and firewall ready'] });
    await emu[Symbol.asyncDispose]();
    await emu[Symbol.asyncDispose]();
    expect(handle.calls).to.deep.equal(['start', 'kill', 'remove']);
  });
});
