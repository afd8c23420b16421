import { expect } from 'chai';
import { bzip2HeadForTest } from './helpers/bzip2-head.js';
import { gzipSync } from 'node:zlib';
import { filterTar, parseTarListing } from '../../../harness/firmware/tar-listing.js';
import { checkListing } from '../../../harness/firmware/path-safety.js';
import { tarCompression } from '../../../harness/firmware/formats/tar-root-format.js';
import { buildTar, paxRecord, tarEntry, type TarSpec } from './helpers/tar-bytes.js';

const root: TarSpec[] = [
  { name: './', type: '5' },
  { name: './bin/', type: '5' },
  { name: './bin/busybox', data: 'ELF...', mode: 0o4755 },
  { name: './bin/sh', type: '2', linkname: 'busybox' },
  { name: './bin/ash', type: '1', linkname: './bin/busybox' },
  { name: './dev/', type: '5' },
  { name: './dev/console', type: '3', dev: [5, 1], mode: 0o600 },
];

describe('tar listing', () => {
  it('lists ustar entries as path-safety sees them: names normalised, sizes, links, devices', () => {
    const l = parseTarListing(buildTar(root));
    expect(l.unparsed).to.deep.equal([]);
    expect(l.entries.map((e) => [e.path, e.type, e.size, e.target])).to.deep.equal([
      ['', 'dir', 0, undefined], ['bin', 'dir', 0, undefined], ['bin/busybox', 'file', 6, undefined],
      ['bin/sh', 'symlink', 0, 'busybox'], ['bin/ash', 'hardlink', 0, 'bin/busybox'], ['dev', 'dir', 0, undefined],
      ['dev/console', 'char', 0, undefined],
    ]);
    expect(l.entries[2]).to.include({ mode: '-rwxr-xr-x', perm: 0o4755 });
    expect(l.entries[6]).to.include({ devMajor: 5, devMinor: 1, perm: 0o600 });
    const report = checkListing(l);
    expect(report).to.include({ unpackedBytes: 6, entries: 7 });
    expect(report.problems).to.deep.equal([]);
    expect(report.devices).to.deep.equal(['dev/console']);
  });

  it('joins the ustar prefix, and takes GNU long names and pax path/linkpath/size', () => {
    const long = `usr/${'x'.repeat(150)}/file`;
    const pax = paxRecord('path', 'etc/pax-named') + paxRecord('size', '3');
    const tar = buildTar([
      { name: 'file', prefix: 'usr/share/very/long', data: 'a' },
      { name: '././@LongLink', type: 'L', data: `${long}\0`, gnu: true },
      { name: long.slice(0, 99), data: 'bb', gnu: true },
      { name: 'PaxHeaders/x', type: 'x', data: pax },
      { name: 'short', data: 'ccc', sizeOverride: 0 },
      { name: 'etc/l', type: '2', linkname: 'x' },
    ]);
    const l = parseTarListing(tar);
    expect(l.unparsed).to.deep.equal([]);
    expect(l.entries.map((e) => [e.path, e.size])).to.deep.equal([['usr/share/very/long/file', 1], [long, 2], ['etc/pax-named', 3], ['etc/l', 0]]);
  });

  const refused: [string, Buffer, RegExp][] = [
    ['a bad header checksum', (() => { const b = buildTar(root); b[10] ^= 1; return b; })(), /bad checksum/],
    ['an archive cut inside a file', buildTar([{ name: 'big', data: 'z'.repeat(2000) }]).subarray(0, 1024), /cut short/],
    ['a sparse (GNU S) entry', buildTar([{ name: 'sparse', type: 'S' }]), /unsupported tar entry type 'S'/],
  ];
  for (const [name, bytes, why] of refused) {
    it(`puts ${name} in unparsed, which path-safety refuses`, () => {
      const l = parseTarListing(bytes);
      expect(l.unparsed.join('\n')).to.match(why);
      expect(l.truncated !== undefined, 'truncated is set only for a cut archive').to.equal(/cut short/.test(why.source));
      expect(checkListing(l).problems.length).to.be.greaterThan(0);
    });
  }

  const unsafe: [string, TarSpec[], RegExp][] = [
    ['../ in a name', [{ name: '../evil', data: 'x' }], /escapes the root/],
    ['an absolute name', [{ name: '/etc/passwd', data: 'x' }], /absolute path/],
    ['a file below a symlink', [{ name: 'www', type: '2', linkname: '/etc' }, { name: 'www/passwd', data: 'x' }], /written through the symlink www/],
    ['a hard link to a host path', [{ name: 'pw', type: '1', linkname: '/etc/passwd' }], /hard link to "\/etc\/passwd": absolute path/],
    ['a hard link climbing out', [{ name: 'pw', type: '1', linkname: '../../etc/passwd' }], /escapes the root/],
    ['a hard link through a symlink', [{ name: 'd', type: '2', linkname: '/etc' }, { name: 'pw', type: '1', linkname: 'd/passwd' }], /goes through a symlink/],
    ['a hard link to a file listed later', [{ name: 'pw', type: '1', linkname: 'later' }, { name: 'later', data: 'x' }], /not a regular file listed before it/],
  ];
  for (const [name, entries, why] of unsafe) {
    it(`path-safety refuses ${name}`, () => {
      const problems = checkListing(parseTarListing(buildTar(entries))).problems.map((p) => p.reason).join('; ');
      expect(problems).to.match(why);
    });
  }

  it('filters an archive down to the kept entries, headers included, still a valid tar', () => {
    const tar = buildTar([{ name: 'PaxHeaders/a', type: 'x', data: paxRecord('path', 'kept/long-name') }, { name: 'a', data: 'keep' }, ...root]);
    const l = parseTarListing(tar);
    const out = parseTarListing(filterTar(tar, l, (e) => e.type !== 'char'));
    expect(out.unparsed).to.deep.equal([]);
    expect(out.entries.map((e) => e.path)).to.deep.equal(['kept/long-name', '', 'bin', 'bin/busybox', 'bin/sh', 'bin/ash', 'dev']);
  });
});

describe('tar root probe', () => {
  const cases: [string, Buffer, string | undefined][] = [
    ['a plain ustar archive', buildTar(root), 'none'],
    ['a gzip-compressed tar', gzipSync(buildTar(root)), 'gzip'],
    ['a bzip2 stream', bzip2HeadForTest(), 'bzip2'],
    ['gzip of something else', gzipSync(Buffer.alloc(4096, 1)), undefined],
    ['a lone tar header of another format', tarEntry({ name: 'x' }).fill(0, 257, 263), undefined],
  ];
  for (const [name, bytes, expected] of cases) {
    it(`${name} -> ${expected ?? 'not a tar'}`, () => {
      expect(tarCompression(bytes.subarray(0, 4096))).to.equal(expected);
    });
  }
});
