import { expect } from 'chai';
import { parseByteSize } from '../../../harness/firmware/byte-size.js';

describe('parseByteSize', () => {
  it('reads plain counts and binary suffixes', () => {
    expect(parseByteSize('1000')).to.equal(1000);
    expect(parseByteSize('512M')).to.equal(512 * 1024 * 1024);
    expect(parseByteSize('2g')).to.equal(2 * 1024 ** 3);
    expect(parseByteSize('64KiB')).to.equal(65536);
  });

  it('rejects junk with a usage error naming the option', () => {
    for (const bad of ['', '0', '-1', '1.5M', '12T', 'lots']) {
      expect(() => parseByteSize(bad)).to.throw(/--max-bytes/).with.property('code', 'FIRMLAB_USAGE');
    }
  });
});
