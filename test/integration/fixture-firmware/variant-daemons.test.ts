// Needs build/firmware/ built first (`make firmware`), qemu-arm-static and
// unsquashfs on the host. Runs each variant's static ARM homeshieldd under
// qemu-user against a DNS responder on 127.0.0.1 (and, for tls-when-off, the
// harness's own sinkhole on 127.0.0.1): nothing leaves the machine.
import { expect } from 'chai';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer as createTlsServer } from 'node:tls';
import { Sinkhole } from '../../../harness/egress/sinkhole.js';
import { CLIENT_HELLO_RANDOM, HOMESHIELDD_CLIENT_HELLO, HOMESHIELDD_SNI } from '../../unit/egress/homeshieldd-client-hello.js';
import { DaemonUnderTest, TinyResponder, until } from './daemon-under-test.js';
import { extractRootfs, FIRMWARE_DIR, fileName, VARIANTS, variantPath, type FixtureVariant } from './fixture-files.js';

const STARTED = 'homeshield: started version=1.0.9';
const base = VARIANTS[0]!.base;

/** The server name OpenSSL (behind node:tls) reads from `hello`, or undefined if it never gets that far. */
async function opensslServerName(hello: Buffer): Promise<string | undefined> {
  let seen: string | undefined;
  // No certificate: the handshake fails right after OpenSSL has parsed the hello and called back.
  const server = createTlsServer({ SNICallback: (name, cb) => { seen = name; cb(null, undefined); } });
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = connect((server.address() as { port: number }).port, '127.0.0.1');
  socket.on('error', () => {});
  socket.resume(); // read its alert, or 'close' never comes
  await once(socket, 'connect');
  socket.write(hello);
  await once(socket, 'close');
  server.close();
  return seen;
}

describe('fixture firmware variants: homeshieldd under qemu-user', function () {
  this.timeout(120_000);
  const roots = new Map<string, string>();
  const root = (defect: FixtureVariant['defect'] | 'base') => roots.get(defect)!;
  let dns: TinyResponder;
  let daemon: DaemonUnderTest | undefined;

  before(async () => {
    roots.set('base', extractRootfs(join(FIRMWARE_DIR, fileName(base))));
    for (const v of VARIANTS) roots.set(v.defect, extractRootfs(variantPath(v.defect)));
    // Loopback, so that tls-when-off's connection to "its" address reaches our sinkhole.
    dns = await TinyResponder.start('127.0.0.1');
  });
  beforeEach(() => { dns.names.length = 0; });
  afterEach(async () => {
    await daemon?.stop();
    daemon?.cleanup();
    daemon = undefined;
  });
  after(() => {
    dns.close();
    for (const r of roots.values()) rmSync(dirname(r), { recursive: true, force: true });
  });

  describe('tls-when-off', () => {
    let sink: Sinkhole;
    before(async () => { sink = await Sinkhole.start({ listen: [{ host: '127.0.0.1', port: 0 }], idleMs: 1000 }); });
    after(() => sink.stop());

    it('resolves and caches like 1.0.9 while on, then sends no DNS but TLS with its SNI to the address while off', async () => {
      daemon = DaemonUnderTest.start(root('tls-when-off'), dns.port, 'on', { tlsPort: sink.addresses()[0]!.port });
      await until('the first 3 queries', () => dns.names.length >= 3);
      await sleep(3000); // TTL 300: nothing more while on, and no TLS either
      expect(dns.names.length).to.equal(3);
      expect(sink.records).to.deep.equal([]);

      daemon.setEnable('off');
      await until('"setting changed enable=off"', () => daemon!.log().includes('homeshield: setting changed enable=off'));
      await until('2 connections to the sinkhole', () => sink.records.length >= 2);
      expect(dns.names.length, dns.names.join(' ')).to.equal(3);
      for (const r of sink.records) {
        expect(r).to.deep.include({ transport: 'tcp', sni: HOMESHIELDD_SNI });
        // The unit tests' capture is still what the daemon sends (random field aside).
        const bytes = Buffer.from(r.firstBytesHex, 'hex');
        const { offset, length } = CLIENT_HELLO_RANDOM;
        expect(Buffer.concat([bytes.subarray(0, offset), bytes.subarray(offset + length)]).toString('hex'))
          .to.equal(Buffer.concat([HOMESHIELDD_CLIENT_HELLO.subarray(0, offset), HOMESHIELDD_CLIENT_HELLO.subarray(offset + length)]).toString('hex'));
      }
      // Well formed for a real TLS stack too, not only for our parser.
      expect(await opensslServerName(Buffer.from(sink.records[0]!.firstBytesHex, 'hex'))).to.equal(HOMESHIELDD_SNI);

      daemon.setEnable('on');
      await until('"setting changed enable=on"', () => daemon!.log().includes('homeshield: setting changed enable=on'));
      await until('the 3 queries after enable', () => dns.names.length >= 6);
      await sleep(1000); // a connection under way when the setting changed may still land
      const atOn = sink.records.length;
      await sleep(3000);
      expect(sink.records.length).to.equal(atOn);
    });

    it('started off, knows no address and sends nothing at all', async () => {
      const before = sink.records.length;
      daemon = DaemonUnderTest.start(root('tls-when-off'), dns.port, 'off', { tlsPort: sink.addresses()[0]!.port });
      await until(`"${STARTED} enable=off"`, () => daemon!.log().includes(`${STARTED} enable=off`));
      await sleep(4000); // two of its connection periods
      expect(dns.names).to.deep.equal([]);
      expect(sink.records.length).to.equal(before);
    });
  });

  describe('stops-when-off', () => {
    it('exits 0 with "stopped" and removes its pid file when switched off', async () => {
      daemon = DaemonUnderTest.start(root('stops-when-off'), dns.port, 'on');
      await until('the first 3 queries', () => dns.names.length >= 3);
      expect(daemon.pidFile()).to.equal(`${daemon.proc.pid}\n`);
      daemon.setEnable('off');
      await until('the daemon to exit', () => daemon!.exited);
      expect(daemon.proc.exitCode).to.equal(0);
      expect(daemon.log()).to.match(/\nhomeshield: setting changed enable=off\nhomeshield: stopped\n$/);
      expect(daemon.pidFile()).to.equal(undefined);
    });

    it('started off, logs its start and exits the same way at once, sending nothing', async () => {
      daemon = DaemonUnderTest.start(root('stops-when-off'), dns.port, 'off');
      await until('the daemon to exit', () => daemon!.exited);
      expect(daemon.proc.exitCode).to.equal(0);
      expect(daemon.log()).to.equal(`${STARTED} enable=off\nhomeshield: stopped\n`);
      expect(daemon.pidFile()).to.equal(undefined);
      expect(dns.names).to.deep.equal([]);
    });

    it('is the only one: 1.0.9 itself keeps running while off', async () => {
      daemon = DaemonUnderTest.start(root('base'), dns.port, 'off');
      await until(`"${STARTED} enable=off"`, () => daemon!.log().includes(`${STARTED} enable=off`));
      await sleep(3000);
      expect(daemon.exited).to.equal(false);
    });
  });

  describe('dies-at-start', () => {
    it('logs its start, then a fatal line, and exits 1 having sent nothing; the pid file stays', async () => {
      daemon = DaemonUnderTest.start(root('dies-at-start'), dns.port, 'on');
      await until('the daemon to exit', () => daemon!.exited);
      expect(daemon.proc.exitCode).to.equal(1);
      expect(daemon.log()).to.match(new RegExp(`^${STARTED} enable=on\\nhomeshield: fatal: [^\\n]+\\n$`));
      expect(daemon.pidFile()).to.equal(`${daemon.proc.pid}\n`);
      expect(dns.names).to.deep.equal([]);
    });
  });

  describe('hangs', () => {
    it('stays, silent, never reads its setting again, and still stops on SIGTERM', async () => {
      daemon = DaemonUnderTest.start(root('hangs'), dns.port, 'on');
      await until('its pid file', () => !!daemon!.pidFile());
      expect(daemon.log()).to.equal(`${STARTED} enable=on\n`);
      await sleep(4000); // 1.0.9 would have sent its first 3 queries at once
      expect(dns.names).to.deep.equal([]);
      expect(daemon.exited).to.equal(false);

      daemon.setEnable('off');
      daemon.proc.kill('SIGHUP'); // what `homeshield set` sends; 1.0.9 re-reads at once
      await sleep(2000);
      expect(daemon.exited).to.equal(false);
      expect(daemon.log()).to.equal(`${STARTED} enable=on\n`);

      await daemon.stop();
      expect(daemon.proc.exitCode).to.equal(0);
      expect(daemon.log()).to.equal(`${STARTED} enable=on\nhomeshield: stopped\n`);
    });
  });
});
