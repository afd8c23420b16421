import { expect } from 'chai';
import { durationMs as parseDurationMs } from '../../../harness/util/duration.js';
import { parseListenAddress } from '../../../harness/util/listen-address.js';
import { TcpFrameReader } from '../../../harness/dns/tcp-frame-reader.js';

describe('dns small parts', () => {
  it('splits length-prefixed TCP messages across and within chunks', () => {
    const r = new TcpFrameReader();
    const stream = Buffer.from([0, 2, 0xaa, 0xbb, 0, 1, 0xcc, 0, 3, 1, 2]);
    expect(r.push(stream.subarray(0, 1))).to.deep.equal([]);
    expect(r.push(stream.subarray(1, 10)).map((f) => f.toString('hex'))).to.deep.equal(['aabb', 'cc']);
    expect(r.leftover()?.toString('hex')).to.equal('000301');
    expect(r.push(Buffer.from([2, 3])).map((f) => f.toString('hex'))).to.deep.equal(['010203']);
    expect(r.leftover()).to.equal(undefined);
  });

  const listen: [string, object | undefined][] = [
    ['127.0.0.1:5353', { host: '127.0.0.1', port: 5353 }],
    ['[::1]:53', { host: '::1', port: 53 }],
    ['::1', { host: '::1', port: 53 }],
    ['localhost', { host: 'localhost', port: 53 }],
    ['127.0.0.1:99999', undefined],
    ['127.0.0.1:x', undefined],
  ];
  for (const [text, expected] of listen) {
    it(`listen address ${text}`, () => expect(parseListenAddress(text)).to.deep.equal(expected));
  }

  const durations: [unknown, number | undefined][] = [['2s', 2000], ['500ms', 500], ['1.5s', 1500], ['1m', 60000], [0.25, 250], [2, 2000], ['soon', undefined], [-1, undefined]];
  for (const [text, ms] of durations) it(`duration ${String(text)}`, () => expect(parseDurationMs(text)).to.equal(ms));
});
