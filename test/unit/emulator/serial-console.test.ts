import { expect } from 'chai';
import { SerialConsole } from '../../../harness/emulator/serial-console.js';
import type { ConsoleLine } from '../../../harness/emulator/console.js';
import { FakeSerial, fakeAsh } from './fake-serial.js';
import { MAX_CONSOLE_LINE } from '../../../harness/emulator/console-line-splitter.js';
import { MAX_COMMAND_OUTPUT } from '../../../harness/emulator/marked-command.js';

describe('SerialConsole', () => {
  let clock = 1000;
  const now = () => clock;
  const opts = { now, writePauseMs: 0, nextId: () => 'id1' };

  it('emits lines stamped by the injected clock and keeps a 50-line tail', () => {
    const serial = new FakeSerial();
    const c = new SerialConsole(serial, opts);
    const seen: ConsoleLine[] = [];
    c.onLine((l) => seen.push(l));
    clock = 2000;
    serial.print('[    0.000000] Booting Linux\r\n');
    for (let i = 0; i < 60; i++) serial.print(`line ${i}\r\n`);
    return new Promise<void>((resolve) => setImmediate(() => {
      expect(seen[0]).to.deep.equal({ text: '[    0.000000] Booting Linux', atMs: 2000, seq: 1 });
      expect(c.tail).to.have.length(50);
      expect(c.tail.at(-1)).to.equal('line 59');
      resolve();
    }));
  });

  it('waitFor matches the unfinished askfirst line', async () => {
    const serial = new FakeSerial();
    const c = new SerialConsole(serial, opts);
    const wait = c.waitFor(/Please press Enter/, 1000);
    serial.print('\r\nPlease press Enter to activate this console. ');
    expect((await wait).text).to.equal('Please press Enter to activate this console. ');
  });

  it('waitFor with includeTail finds a line printed before the wait', async () => {
    const serial = new FakeSerial();
    const c = new SerialConsole(serial, opts);
    serial.print('homeshield: started\r\n');
    await new Promise((r) => setImmediate(r));
    expect((await c.waitFor(/homeshield: started/, 10, { includeTail: true })).text).to.equal('homeshield: started');
  });

  it('waitFor times out with FIRMLAB_CONSOLE and the tail', async () => {
    const serial = new FakeSerial();
    const c = new SerialConsole(serial, opts);
    serial.print('something else\r\n');
    const err = await c.waitFor(/never/, 20).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'FIRMLAB_CONSOLE');
    expect((err as { details: { consoleTail: string[] } }).details.consoleTail).to.deep.equal(['something else']);
  });

  it('a closed console rejects pending waits', async () => {
    const serial = new FakeSerial();
    const c = new SerialConsole(serial, opts);
    const wait = c.waitFor(/never/, 5000);
    serial.destroy();
    const err = await wait.catch((e: unknown) => e);
    expect(err).to.have.property('code', 'FIRMLAB_CONSOLE');
    expect(String((err as Error).message)).to.match(/closed/);
  });

  it('exec presses Enter, waits for the prompt and returns the framed output and status', async () => {
    const serial = new FakeSerial(fakeAsh((cmd) => (cmd === 'homeshield status' ? { out: 'enable=on\r\n', status: 0 } : { out: '', status: 127 })));
    const c = new SerialConsole(serial, opts);
    serial.print('Please press Enter to activate this console. ');
    const r = await c.exec('homeshield status', { timeoutMs: 1000 });
    expect(r).to.deep.equal({ output: 'enable=on', exitCode: 0 });
    expect(serial.typed[0]).to.equal('');
    expect(await c.run("echo 'it''s'", { timeoutMs: 1000 })).to.equal('');
  });

  it('runs queued commands one after another', async () => {
    let n = 0;
    const serial = new FakeSerial(fakeAsh((cmd) => ({ out: `${cmd}:${++n}\r\n`, status: 0 })));
    let id = 0;
    const c = new SerialConsole(serial, { ...opts, nextId: () => `c${id++}` });
    const [a, b] = await Promise.all([c.run('a', { timeoutMs: 1000 }), c.run('b', { timeoutMs: 1000 })]);
    expect([a, b]).to.deep.equal(['a:1', 'b:2']);
  });

  it('exec fails with FIRMLAB_CONSOLE when no prompt comes', async () => {
    const serial = new FakeSerial(() => '');
    const c = new SerialConsole(serial, opts);
    const err = await c.exec('true', { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'FIRMLAB_CONSOLE');
    expect(String((err as Error).message)).to.match(/no shell prompt/);
  });

  it('writes typed input in small chunks', async () => {
    const chunks: number[] = [];
    const serial = new FakeSerial();
    const orig = serial._write.bind(serial);
    serial._write = (chunk, enc, cb) => { chunks.push(chunk.length); orig(chunk, enc, cb); };
    const c = new SerialConsole(serial, { ...opts, writeChunkBytes: 4 });
    await c.write('0123456789');
    expect(chunks).to.deep.equal([4, 4, 2]);
  });
  describe('a console behind a login (getty, busybox login)', () => {
    /** `OpenWrt login: ` until the user and password are right, then ash; "Login incorrect" otherwise. */
    function getty(user: string, password: string) {
      let state: 'login' | 'password' | 'shell' = 'login';
      let gave = '';
      const ash = fakeAsh((cmd) => (cmd === 'id -un' ? { out: `${user}\r\n`, status: 0 } : { out: '', status: 127 }));
      return (line: string) => {
        if (state === 'shell') return ash(line);
        if (state === 'login') {
          if (line === '') return '\r\nOpenWrt login: ';
          gave = line;
          state = 'password';
          return `${line}\r\nPassword: `;
        }
        state = gave === user && line === password ? 'shell' : 'login';
        return state === 'shell' ? '\r\n\r\nBusyBox v1.23.2 built-in shell (ash)\r\nroot@OpenWrt:~# ' : '\r\nLogin incorrect\r\nOpenWrt login: ';
      };
    }

    it('logs in as the profile says, once, then runs commands', async () => {
      const serial = new FakeSerial(getty('root', 's3cret'));
      const c = new SerialConsole(serial, { ...opts, login: { user: 'root', password: 's3cret' } });
      expect(await c.run('id -un', { timeoutMs: 1000 })).to.equal('root');
      expect(serial.typed.slice(0, 3)).to.deep.equal(['', 'root', 's3cret']);
      expect(await c.run('id -un', { timeoutMs: 1000 })).to.equal('root');
      expect(serial.typed.filter((t) => t === 's3cret')).to.have.length(1);
    });

    it('a password prompt whose line grows by a bare CR before its newline (echo off) is not asked again', async () => {
      const inner = getty('root', 's3cret');
      const serial: FakeSerial = new FakeSerial((line) => {
        const out = inner(line);
        // busybox login after the password: CR and LF arrive apart, the shell after them.
        if (line === 's3cret') { setImmediate(() => serial.print('\r')); return `\n${out.replace(/^\r\n/, '')}`; }
        return out;
      });
      const c = new SerialConsole(serial, { ...opts, login: { user: 'root', password: 's3cret' } });
      expect(await c.run('id -un', { timeoutMs: 1000 })).to.equal('root');
    });

    it('a prompt whose trailing space comes in the next chunk is one prompt, not two', async () => {
      const inner = getty('root', 's3cret');
      const serial: FakeSerial = new FakeSerial((line) => {
        const out = inner(line);
        // `ArcherAX55 login:` now, its space a moment later (what CI's serial line did).
        if (/login: $/.test(out)) { setImmediate(() => setImmediate(() => serial.print(' '))); return out.replace(/ $/, ''); }
        return out;
      });
      const c = new SerialConsole(serial, { ...opts, login: { user: 'root', password: 's3cret' } });
      expect(await c.run('id -un', { timeoutMs: 1000 })).to.equal('root');
    });

    it('a wrong password is refused with FIRMLAB_CONSOLE, naming the user, without trying again', async () => {
      const serial = new FakeSerial(getty('root', 's3cret'));
      const c = new SerialConsole(serial, { ...opts, login: { user: 'root', password: 'wrong' } });
      const err = await c.run('id -un', { timeoutMs: 1000 }).catch((e: unknown) => e);
      expect(err).to.have.property('code', 'FIRMLAB_CONSOLE');
      expect(String((err as Error).message)).to.match(/^the console refused the login as root \(asked again: "OpenWrt login:"\)$/);
      expect(serial.typed.filter((t) => t === 'wrong')).to.have.length(1);
    });

    it('a login prompt when the profile declares no login says so instead of timing out', async () => {
      const serial = new FakeSerial(getty('root', 's3cret'));
      const c = new SerialConsole(serial, opts);
      const err = await c.run('id -un', { timeoutMs: 1000 }).catch((e: unknown) => e);
      expect(String((err as Error).message)).to.match(/asks for a login \("OpenWrt login:"\) and the device profile declares none \(console\.login\)/);
      expect(serial.typed).to.deep.equal(['']);
    });
  });
  describe('a console that floods', () => {
    it('a megabyte without a newline is cut into bounded lines; the prompt after it is still found and the command runs', async () => {
      const flood = 'A'.repeat(1024 * 1024);
      const serial = new FakeSerial(fakeAsh((cmd) => (cmd === 'echo ok' ? { out: 'ok\r\n', status: 0 } : { out: '', status: 127 })));
      const c = new SerialConsole(serial, opts);
      const longest: number[] = [];
      c.onLine((l) => longest.push(l.text.length));
      serial.print(flood);
      await new Promise((r) => setImmediate(r));
      expect(c.partial.length).to.be.at.most(MAX_CONSOLE_LINE);
      expect(await c.run('echo ok', { timeoutMs: 1000 })).to.equal('ok');
      expect(Math.max(...longest)).to.equal(MAX_CONSOLE_LINE);
    });

    it('a command that prints without end keeps the first MiB of its output and says it cut the rest', async () => {
      const line = 'x'.repeat(1000);
      const serial = new FakeSerial(fakeAsh(() => ({ out: `${line}\r\n`.repeat(3000), status: 0 })));
      const c = new SerialConsole(serial, opts);
      const out = await c.run('yes', { timeoutMs: 5000 });
      expect(out.length).to.be.below(MAX_COMMAND_OUTPUT + 200);
      expect(out).to.match(/\n\[firmlab: output cut after 1048576 characters\]$/);
      expect(out.startsWith(line)).to.equal(true);
    });
  });
});
