import { expect } from 'chai';
import { ConsoleLineSplitter, clean } from '../../../harness/emulator/console-line-splitter.js';

describe('ConsoleLineSplitter', () => {
  const cases: { name: string; chunks: string[]; lines: string[]; partial: string }[] = [
    { name: 'CRLF lines', chunks: ['a\r\nb\r\n'], lines: ['a', 'b'], partial: '' },
    { name: 'a line split across chunks', chunks: ['[    1.0] virt', 'io_blk\r', '\n'], lines: ['[    1.0] virtio_blk'], partial: '' },
    { name: 'CR CR LF', chunks: ['x\r\r\n'], lines: ['x'], partial: '' },
    { name: 'askfirst without newline', chunks: ['\r\nPlease press Enter to activate this console. '], lines: [''], partial: 'Please press Enter to activate this console. ' },
    { name: 'prompt after output', chunks: ['ok\r\n/ # '], lines: ['ok'], partial: '/ # ' },
    { name: 'colour codes dropped', chunks: ['\x1b[1;32mgreen\x1b[0m\r\n'], lines: ['green'], partial: '' },
    { name: 'bare CR overwrites', chunks: ['progress 10%\rprogress 100%\r\n'], lines: ['progress 100%'], partial: '' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = new ConsoleLineSplitter();
      const lines = c.chunks.flatMap((ch) => s.push(ch));
      expect(lines).to.deep.equal(c.lines);
      expect(s.partial).to.equal(c.partial);
    });
  }

  it('flush returns the unfinished line once', () => {
    const s = new ConsoleLineSplitter();
    s.push('done\r\nlast words');
    expect(s.flush()).to.deep.equal(['last words']);
    expect(s.flush()).to.deep.equal([]);
  });

  it('clean drops control characters but keeps tabs and spaces', () => {
    expect(clean('a\tb \x07c\x00')).to.equal('a\tb c');
  });
});
