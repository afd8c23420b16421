import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import type { EgressRecord } from '../../../harness/egress/egress-record.js';
import { Sinkhole } from '../../../harness/egress/sinkhole.js';

const waitFor = async (pred: () => boolean) => {
  for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
};

describe('Sinkhole (loopback)', function () {
  this.timeout(30_000);
  let dir: string;
  let sink: Sinkhole;
  let port: number;
  const byClientPort = (p: number) => sink.records.find((r) => r.client.port === p);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-sink-'));
    sink = await Sinkhole.start({
      listen: [{ host: '127.0.0.1', port: 0 }],
      logFile: join(dir, 'egress.jsonl'),
      idleMs: 500,
      // What the lab would look up in conntrack; here: a fixed answer for one client port range.
      originalDestination: ({ transport }) => (transport === 'udp' ? { address: '203.0.113.77', port: 123 } : undefined),
    });
    port = sink.addresses()[0]!.port;
  });
  after(async () => {
    await sink.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('records the SNI of a real TLS client without completing a handshake', async () => {
    let localPort = 0;
    const err = await new Promise<Error>((resolve) => {
      const s = tlsConnect({ host: '127.0.0.1', port, servername: 'a1.safethings.avira.com', rejectUnauthorized: true });
      s.on('connect', () => (localPort = s.localPort ?? 0));
      s.on('error', resolve);
    });
    expect(err.message).to.match(/socket disconnected|ECONNRESET|closed/i);
    await waitFor(() => byClientPort(localPort) !== undefined);
    const r = byClientPort(localPort)!;
    expect(r).to.deep.include({ kind: 'egress', transport: 'tcp', sni: 'a1.safethings.avira.com', destination: { address: '127.0.0.1', port } });
    expect(r.firstBytesHex.startsWith('16030')).to.equal(true);
  });

  it('records the SNI from openssl s_client', async function () {
    const before = sink.records.length;
    const ran = await new Promise<boolean>((resolve) => {
      const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'ossl.example'], { timeout: 10_000 }, (e) => resolve(e?.code !== 'ENOENT'));
      child.stdin?.end();
    });
    if (!ran) this.skip();
    await waitFor(() => sink.records.length > before);
    expect(sink.records.slice(before).map((r) => r.sni)).to.include('ossl.example');
  });

  it('records the HTTP Host header and closes', async () => {
    const local = await new Promise<number>((resolve) => {
      let lp = 0;
      const s = connect(port, '127.0.0.1', () => {
        lp = s.localPort ?? 0;
        s.write('GET /check HTTP/1.1\r\nHost: update.example\r\n\r\n');
      });
      s.on('close', () => resolve(lp));
      s.resume();
    });
    await waitFor(() => byClientPort(local) !== undefined);
    const r = byClientPort(local)!;
    expect([r.httpHost, r.bytes, Buffer.from(r.firstBytesHex, 'hex').toString().split('\r\n')[0]]).to.deep.equal(['update.example', 45, 'GET /check HTTP/1.1']);
  });

  it('stops reading at the 4 KiB cap and keeps at most that', async () => {
    const local = await new Promise<number>((resolve) => {
      let lp = 0;
      const s = connect(port, '127.0.0.1', () => {
        lp = s.localPort ?? 0;
        s.write(Buffer.alloc(10_000, 0x41));
      });
      s.on('close', () => resolve(lp));
      s.on('error', () => {});
      s.resume();
    });
    await waitFor(() => byClientPort(local) !== undefined);
    expect(byClientPort(local)!.firstBytesHex.length).to.be.at.most(4096 * 2);
  });

  it('closes a connection that goes quiet after the idle timeout and records what it sent', async () => {
    let lp = 0;
    let closedByPeer = false;
    const s = connect(port, '127.0.0.1', () => {
      lp = s.localPort ?? 0;
      s.write('abc');
    });
    s.on('end', () => (closedByPeer = true));
    s.on('error', () => {});
    s.resume();
    await waitFor(() => lp !== 0 && byClientPort(lp) !== undefined);
    await waitFor(() => closedByPeer);
    expect([byClientPort(lp)?.bytes, byClientPort(lp)?.firstBytesHex, closedByPeer]).to.deep.equal([3, '616263', true]);
    s.destroy();
  });

  it('records UDP datagrams with the destination the lab supplied, and sends nothing back', async () => {
    const s = createSocket('udp4');
    let answered = false;
    s.on('message', () => (answered = true));
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    const local = s.address().port;
    s.send(Buffer.from('e30001', 'hex'), port, '127.0.0.1');
    await waitFor(() => byClientPort(local) !== undefined);
    s.close();
    expect(byClientPort(local)).to.deep.include({ transport: 'udp', bytes: 3, firstBytesHex: 'e30001', destination: { address: '203.0.113.77', port: 123 } });
    expect(answered).to.equal(false);
  });

  it('writes egress.jsonl', async () => {
    await sink.flush();
    const lines = (await readFile(join(dir, 'egress.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as EgressRecord);
    expect(lines.length).to.equal(sink.records.length);
  });
});
