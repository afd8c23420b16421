import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QmpClient, QmpError } from '../../../harness/emulator/qmp-client.js';

/** A QMP server as QEMU speaks it: greeting, capabilities, then answers (and events) per line. */
function fakeQmp(path: string, answer: (cmd: string, args: unknown, sock: Socket) => string | undefined): Promise<Server> {
  const server = createServer((sock) => {
    sock.write('{"QMP": {"version": {"qemu": {"major": 7, "minor": 2, "micro": 0}}, "capabilities": []}}\r\n');
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, nl)) as { execute: string; arguments: unknown };
        buf = buf.slice(nl + 1);
        const out = msg.execute === 'qmp_capabilities' ? '{"return": {}}' : answer(msg.execute, msg.arguments, sock);
        if (out !== undefined) sock.write(`${out}\r\n`);
      }
    });
  });
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}

describe('QmpClient', () => {
  let dir: string;
  let server: Server | undefined;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'firmlab-qmp-'))));
  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('negotiates, runs commands in order, skips events, and gives back what QEMU returned', async () => {
    const seen: string[] = [];
    server = await fakeQmp(join(dir, 'q.sock'), (cmd, args, sock) => {
      seen.push(`${cmd} ${JSON.stringify(args)}`);
      if (cmd === 'stop') sock.write('{"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 2}}\r\n');
      return cmd === 'query-status' ? '{"return": {"status": "paused", "running": false}}' : '{"return": {}}';
    });
    const qmp = await QmpClient.connect(join(dir, 'q.sock'));
    const [stopped, status] = await Promise.all([qmp.execute('stop'), qmp.execute('query-status')]);
    expect(stopped).to.deep.equal({});
    expect(status).to.deep.equal({ status: 'paused', running: false });
    expect(await qmp.execute('migrate', { uri: 'exec:cat > /x' })).to.deep.equal({});
    expect(seen).to.deep.equal(['stop {}', 'query-status {}', 'migrate {"uri":"exec:cat > /x"}']);
    qmp.close();
  });

  it("rejects with QEMU's error description as FIRMLAB_QMP, and goes on with the next command", async () => {
    server = await fakeQmp(join(dir, 'q.sock'), (cmd) => (cmd === 'cont'
      ? '{"error": {"class": "GenericError", "desc": "Migration is not finalized yet"}}'
      : '{"return": {"status": "running"}}'));
    const qmp = await QmpClient.connect(join(dir, 'q.sock'));
    const e = await qmp.execute('cont').catch((x: unknown) => x);
    expect(e).to.be.instanceOf(QmpError).and.have.property('code', 'FIRMLAB_QMP');
    expect((e as Error).message).to.equal('QMP cont: Migration is not finalized yet');
    expect(await qmp.execute('query-status')).to.deep.equal({ status: 'running' });
    qmp.close();
  });

  it('fails a command that gets no answer, and every command once QEMU is gone', async () => {
    let client: Socket | undefined;
    server = await fakeQmp(join(dir, 'q.sock'), (_cmd, _args, sock) => { client = sock; return undefined; });
    const qmp = await QmpClient.connect(join(dir, 'q.sock'));
    expect((await qmp.execute('stop', {}, { timeoutMs: 50 }).catch((x: unknown) => x) as Error).message).to.match(/no answer to QMP stop within 50 ms/);
    client!.destroy();
    await new Promise((r) => setTimeout(r, 20));
    expect((await qmp.execute('cont').catch((x: unknown) => x) as Error).message).to.equal('QMP socket closed');
  });

  it('waits for QEMU to make its socket, and says so when it never does', async () => {
    const path = join(dir, 'late.sock');
    const late = new Promise<Server>((resolve) => setTimeout(() => resolve(fakeQmp(path, () => '{"return": {}}')), 150));
    const qmp = await QmpClient.connect(path, { timeoutMs: 5000 });
    server = await late;
    expect(await qmp.execute('cont')).to.deep.equal({});
    qmp.close();
    const e = await QmpClient.connect(join(dir, 'never.sock'), { timeoutMs: 100 }).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(QmpError);
    expect((e as Error).message).to.match(/no QMP socket at .*never\.sock within 100 ms/);
  });
});
