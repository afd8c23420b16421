import { expect } from 'chai';
import { checkListing, climbsOut, pathProblem } from '../../../harness/firmware/path-safety.js';
import { parseSquashfsListing } from '../../../harness/firmware/squashfs-listing.js';

/** Lines as `unsquashfs -lln -UTC` (squashfs-tools 4.5) prints them. */
const line = (mode: string, size: string, path: string) => `${mode} 0/0 ${size.padStart(24)} 2024-01-01 00:00 squashfs-root${path}`;
const listing = (...lines: string[]) => parseSquashfsListing(lines.join('\n') + '\n', 'squashfs-root');

describe('squashfs listing parser', () => {
  it('reads types, sizes, link targets, devices and odd names', () => {
    const l = listing(
      line('drwxr-xr-x', '48', ''),
      line('-rwxr-xr-x', '1102644', '/bin/busybox'),
      line('lrwxrwxrwx', '7', '/bin/sh -> busybox'),
      line('crw-rw-rw-', '1,  3', '/dev/null'),
      line('-rw-r--r--', '3', '/etc/a b -> c'),
    );
    expect(l.unparsed).to.deep.equal([]);
    expect(l.entries.map((e) => [e.path, e.type, e.size, e.target])).to.deep.equal([
      ['', 'dir', 48, undefined],
      ['bin/busybox', 'file', 1102644, undefined],
      ['bin/sh', 'symlink', 7, 'busybox'],
      ['dev/null', 'char', 0, undefined],
      ['etc/a b -> c', 'file', 3, undefined],
    ]);
  });

  it('keeps lines it cannot read (a newline inside a name) as unparsed', () => {
    const l = listing(line('-rw-r--r--', '1', '/a'), 'b', 'garbage');
    expect(l.unparsed).to.deep.equal(['b', 'garbage']);
  });
});

describe('path safety', () => {
  it('finds names that escape and entries written through links', () => {
    expect(pathProblem('etc/passwd')).to.equal(undefined);
    expect(pathProblem('../etc/passwd')).to.match(/escapes/);
    expect(pathProblem('a/../../b')).to.match(/escapes/);
    expect(pathProblem('/etc/passwd')).to.match(/absolute/);
    expect(pathProblem('a//b')).to.match(/empty/);
    const r = checkListing(
      listing(
        line('lrwxrwxrwx', '4', '/lnk -> /tmp'),
        line('-rw-r--r--', '4', '/lnk/evil'),
        line('-rw-r--r--', '4', '/x'),
        line('-rw-r--r--', '4', '/x'),
        line('-rw-r--r--', '4', '/../up'),
        'b',
      ),
    );
    expect(r.problems.map((p) => p.path)).to.have.members(['"b"', 'lnk/evil', 'x', '../up']);
    expect(r.problems.find((p) => p.path === 'lnk/evil')!.reason).to.contain('through the symlink lnk');
  });

  it('classes absolute and root-climbing links as outside links, in-root links as fine', () => {
    expect(climbsOut('bin/up', '../../etc')).to.equal(true);
    expect(climbsOut('bin/sh', 'busybox')).to.equal(false);
    expect(climbsOut('usr/bin/sh', '../../bin/busybox')).to.equal(false);
    expect(climbsOut('a', 'b/../../c')).to.equal(true);
    const r = checkListing(
      listing(
        line('lrwxrwxrwx', '9', '/bin/up -> ../../etc'),
        line('lrwxrwxrwx', '11', '/etc/pw -> /etc/passwd'),
        line('lrwxrwxrwx', '7', '/bin/sh -> busybox'),
        line('lrwxrwxrwx', '7', '/bin/x -> a -> b'),
      ),
    );
    expect(r.outsideLinks).to.deep.equal([
      { path: 'bin/up', target: '../../etc' },
      { path: 'etc/pw', target: '/etc/passwd' },
    ]);
    expect(r.problems.map((p) => p.path)).to.deep.equal(['bin/x']);
  });

  it('lists devices to skip and sums regular file sizes for the size cap', () => {
    const r = checkListing(
      listing(
        line('crw-rw-rw-', '1,  3', '/dev/null'),
        line('brw-rw----', '8,  0', '/dev/sda'),
        line('prw-r--r--', '0', '/dev/fifo'),
        line('-rw-r--r--', '1000', '/a'),
        line('-rw-r--r--', '24', '/b'),
        line('drwxr-xr-x', '4096', '/d'),
      ),
    );
    expect(r.devices).to.deep.equal(['dev/null', 'dev/sda', 'dev/fifo']);
    expect(r.unpackedBytes).to.equal(1024);
    expect(r.problems).to.deep.equal([]);
  });
});
