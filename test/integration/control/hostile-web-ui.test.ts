import { expect } from 'chai';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BODY_BYTES } from '../../../harness/control/http-body.js';
import { LuciSession } from '../../../harness/control/luci/luci-session.js';
import { WebUiSession } from '../../../harness/control/web-ui-session.js';

/*
 * A web UI that misbehaves on purpose, on a real loopback HTTP server: the
 * drivers must end every request with a clear code, in bounded time and
 * memory, whatever the router sends.
 */
type Behaviour = (res: ServerResponse) => void;

const behaviours: Record<string, Behaviour> = {
  // 100 MiB of page, chunked (no length declared), as fast as the socket takes it.
  flood: (res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    let left = 1600;
    const pump = () => { while (left-- > 0) if (!res.write(chunk)) { res.once('drain', pump); return; } res.end(); };
    res.on('close', () => { left = 0; });
    pump();
  },
  declaresHuge: (res) => { res.writeHead(200, { 'content-length': String(200 * 2 ** 20) }); res.write('<html>'); },
  neverEnds: (res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.write('<html><body>'); },
  resetsMidAnswer: (res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.write('<html>'); setTimeout(() => res.socket?.destroy(), 50); },
};

describe('web UI drivers against a hostile web UI (loopback HTTP)', function () {
  this.timeout(30_000);
  let server: Server;
  let base = '';
  let behaviour: Behaviour = behaviours.flood!;
  before(async () => {
    server = createServer((req, res) => { req.resume(); behaviour(res); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const drivers = {
    'TP-Link JSON': () => new WebUiSession({ baseUrl: base, password: 'admin', timeoutMs: 2000 }),
    LuCI: () => new LuciSession({ baseUrl: base, username: 'root', password: '', timeoutMs: 2000, firstLoginTimeoutMs: 2000, retryDelayMs: 0 }),
  };
  for (const [name, make] of Object.entries(drivers)) {
    describe(name, () => {
      it(`a 100 MiB page: FIRMLAB_CONTROL_TOO_LARGE after ${MAX_BODY_BYTES / 2 ** 20} MiB, the rest never read`, async () => {
        behaviour = behaviours.flood!;
        const heapBefore = process.memoryUsage().heapUsed;
        const e = await make().login().catch((x: unknown) => x);
        expect(e).to.have.property('code', 'FIRMLAB_CONTROL_TOO_LARGE');
        expect(String((e as Error).message)).to.match(/answered with more than 4194304 bytes \(it sent more\)/);
        expect(process.memoryUsage().heapUsed - heapBefore).to.be.below(64 * 2 ** 20);
      });

      it('a page that declares 200 MiB: refused before reading it', async () => {
        behaviour = behaviours.declaresHuge!;
        const e = await make().login().catch((x: unknown) => x);
        expect(e).to.have.property('code', 'FIRMLAB_CONTROL_TOO_LARGE');
        expect(String((e as Error).message)).to.match(/declares 209715200 bytes/);
      });

      it('an answer that never finishes: FIRMLAB_CONTROL_UNREACHABLE when the request\'s time is up', async () => {
        behaviour = behaviours.neverEnds!;
        const e = await make().login().catch((x: unknown) => x);
        expect(e).to.have.property('code', 'FIRMLAB_CONTROL_UNREACHABLE');
      });

      it('a connection reset in the middle of the answer: FIRMLAB_CONTROL_UNREACHABLE', async () => {
        behaviour = behaviours.resetsMidAnswer!;
        const e = await make().login().catch((x: unknown) => x);
        expect(e).to.have.property('code', 'FIRMLAB_CONTROL_UNREACHABLE');
      });
    });
  }
});
