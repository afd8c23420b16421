import { expect } from 'chai';
import { Wait, type WaitContext } from '../../../harness/emulator/wait.js';
import { SerialConsole } from '../../../harness/emulator/serial-console.js';
import { FakeSerial } from './fake-serial.js';
import { tick } from './fake-boot-target.js';

describe('Wait', () => {
  function context(httpStatus: WaitContext['httpStatus'] = () => Promise.reject(new Error('ECONNREFUSED'))) {
    const serial = new FakeSerial();
    const satisfied: string[] = [];
    const ctx: WaitContext = {
      console: new SerialConsole(serial, { writePauseMs: 0 }),
      baseUrl: 'http://10.213.0.2/',
      httpStatus,
      now: () => 42,
      onSatisfied: (n) => satisfied.push(n),
    };
    return { serial, ctx, satisfied };
  }
  const never = new AbortController().signal;

  it('forConsole sees a line printed before it started', async () => {
    const { serial, ctx, satisfied } = context();
    serial.print('login:\r\n');
    await tick();
    await Wait.forConsole(/login:/).named('prompt').waitUntilReady(ctx, never);
    expect(satisfied).to.deep.equal(['console line matching /login:/', 'prompt']);
  });

  it('forHttp resolves the path against the base URL and takes any status', async () => {
    const asked: string[] = [];
    let calls = 0;
    const { ctx } = context(async (url) => {
      asked.push(url);
      if (++calls < 3) throw new Error('ECONNREFUSED');
      return 404;
    });
    await Wait.forHttp('/cgi-bin/luci', { intervalMs: 1 }).waitUntilReady(ctx, never);
    expect(asked).to.deep.equal(Array(3).fill('http://10.213.0.2/cgi-bin/luci'));
  });

  it('all(...) waits for every part', async () => {
    const { serial, ctx, satisfied } = context(async () => 200);
    const done = Wait.all(Wait.forConsole(/ready/).named('a'), Wait.forHttp('/').named('b')).waitUntilReady(ctx, never);
    await tick();
    expect(satisfied).to.include('b').and.not.include('a');
    serial.print('ready\r\n');
    await done;
    expect(satisfied).to.include('a');
  });

  it('within(ms) fails with FIRMLAB_WAIT_TIMEOUT naming what it waited for', async () => {
    const { ctx } = context();
    const err = await Wait.all(Wait.forConsole(/never/), Wait.forHttp('/', { intervalMs: 1 })).within(30).waitUntilReady(ctx, never).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'FIRMLAB_WAIT_TIMEOUT');
    expect(String((err as Error).message)).to.include('console line matching /never/ and an HTTP answer from /');
  });

  it('forHttp starts a new probe while an earlier one still hangs', async () => {
    let calls = 0;
    let firstGaveUp = false;
    const { ctx } = context((_url, timeoutMs) => {
      calls++;
      // The first probe hangs like a SYN to a guest whose LAN is not up yet.
      return calls === 1
        ? new Promise((_, reject) => setTimeout(() => { firstGaveUp = true; reject(new Error('timeout')); }, timeoutMs))
        : Promise.resolve(200);
    });
    await Wait.forHttp('/', { intervalMs: 5, requestTimeoutMs: 300 }).waitUntilReady(ctx, never);
    expect(calls).to.equal(2);
    expect(firstGaveUp, 'answered while the first probe still hung').to.equal(false);
  });

  it('stops when its signal aborts', async () => {
    const { ctx } = context();
    const ac = new AbortController();
    const p = Wait.forHttp('/', { intervalMs: 1 }).waitUntilReady(ctx, ac.signal);
    ac.abort(new Error('stop'));
    const err = await p.catch((e: unknown) => e);
    expect(String((err as Error).message)).to.equal('stop');
  });
});
