import { expect } from 'chai';
import { MarkedCommand } from '../../../harness/emulator/marked-command.js';

describe('MarkedCommand', () => {
  it('the typed line never contains the markers it waits for', () => {
    const c = new MarkedCommand('uname -a', 'k7');
    expect(c.line).not.to.include(c.begin);
    expect(c.line).not.to.include(c.end);
    expect(c.line).to.equal(`echo "__FL""B_k7__"; eval 'uname -a'; echo "__FL""E_k7__ $?"`);
  });

  it('quotes single quotes for eval', () => {
    expect(new MarkedCommand(`echo 'a b'`, 'q').line).to.include(`eval 'echo '\\''a b'\\'''`);
  });

  it('cuts the output between the markers, ignoring the echo, prompts and noise before', () => {
    const c = new MarkedCommand('cat /etc/banner', 'z1');
    const lines = ['/ # echo "__FL""B_z1__"; eval \'cat /etc/banner\'; echo "__FL""E_z1__ $?"', '__FLB_z1__', 'line one', '', 'line three', '__FLE_z1__ 0'];
    const done = lines.map((l) => c.feed(l));
    expect(done).to.deep.equal([false, false, false, false, false, true]);
    expect(c.output).to.equal('line one\n\nline three');
    expect(c.exitCode).to.equal(0);
  });

  it('reads a non-zero status and output that ends without a newline', () => {
    const c = new MarkedCommand('printf x; false', 'n');
    for (const l of ['__FLB_n__', 'x__FLE_n__ 1']) c.feed(l);
    expect(c.complete).to.equal(true);
    expect(c.output).to.equal('x');
    expect(c.exitCode).to.equal(1);
  });

  it('leaves out kernel messages printed while the command runs, and keeps lines that only quote one', () => {
    const c = new MarkedCommand('uname -m; logread', 'k');
    const lines = ['__FLB_k__', '[    3.054948] IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready', 'armv7l',
      'Wed Dec  2 05:00:00 2026 kern.info kernel: [    3.054948] IPv6: ADDRCONF', '[12345.000001] random: crng init done', '__FLE_k__ 0'];
    for (const l of lines) c.feed(l);
    expect(c.output).to.equal('armv7l\nWed Dec  2 05:00:00 2026 kern.info kernel: [    3.054948] IPv6: ADDRCONF');
  });

  it('ignores markers of another command', () => {
    const c = new MarkedCommand('true', 'a');
    for (const l of ['__FLB_b__', 'other', '__FLE_b__ 0']) expect(c.feed(l)).to.equal(false);
    expect(c.complete).to.equal(false);
  });

  it('refuses multi-line commands and odd ids', () => {
    expect(() => new MarkedCommand('a\nb', 'x')).to.throw(TypeError);
    expect(() => new MarkedCommand('a', 'x y')).to.throw(TypeError);
  });
});
