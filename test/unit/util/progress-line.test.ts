import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { progressLine } from '../../../harness/util/progress-line.js';

function sink(tty: boolean, columns = 40) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  if (tty) Object.assign(s, { isTTY: true, columns });
  const chunks: string[] = [];
  s.on('data', (b: Buffer) => chunks.push(b.toString()));
  return { s, text: () => chunks.join('') };
}

describe('util/progress-line: long steps on a terminal and in CI', () => {
  it('in CI or a pipe, prints every line as it is', () => {
    for (const [tty, env] of [[false, {}], [true, { CI: 'true' }]] as const) {
      const out = sink(tty);
      const p = progressLine(out.s, '[kernel]', env);
      p('Step 1/9 : FROM firmlab/base');
      p('  CC  init/main.o\r');
      p.end('built: firmlab/kernel:abc');
      expect(out.text()).to.equal('[kernel] Step 1/9 : FROM firmlab/base\n[kernel]   CC  init/main.o\n[kernel] built: firmlab/kernel:abc\n');
    }
  });

  it('on a terminal, rewrites one status line cut to the width, and ends it with a plain line', () => {
    const out = sink(true, 30);
    const p = progressLine(out.s, '[kernel]', {});
    p('short');
    p('a line far longer than the thirty columns of this terminal');
    p.end('built');
    const text = out.text();
    expect(text.startsWith('\r\x1b[2K[kernel] short\r\x1b[2K')).to.equal(true);
    const status = text.split('\r\x1b[2K')[2]!;
    expect(status.length).to.equal(29);
    expect(status.endsWith('…')).to.equal(true);
    expect(text.endsWith('\r\x1b[2K[kernel] built\n')).to.equal(true);
    expect(text.split('\n')).to.have.length(2);
  });
});
