import { expect } from 'chai';
import { DnsRecorder } from '../../../harness/dns/index.js';
import { Sinkhole } from '../../../harness/egress/index.js';
import type { FirmlabError } from '../../../harness/errors.js';

// Loopback only.
describe('a port already in use', () => {
  it('fails the recorder and the sinkhole with FIRMLAB_LISTEN_FAILED naming the server and address, leaving nothing bound', async () => {
    await using first = await DnsRecorder.start({ listen: [{ host: '127.0.0.1', port: 0 }] });
    const taken = first.addresses()[0]!;
    for (const [server, start] of [
      ['DNS recorder', () => DnsRecorder.start({ listen: [{ host: '127.0.0.1', port: 0 }, taken] })],
      ['sinkhole', () => Sinkhole.start({ listen: [{ host: '127.0.0.1', port: 0 }, taken] })],
    ] as const) {
      const err = await start().then((s) => { void s.stop(); return undefined; }, (e: FirmlabError) => e);
      expect(err?.code).to.equal('FIRMLAB_LISTEN_FAILED');
      expect(err?.message).to.contain(`${server} could not listen on 127.0.0.1:${taken.port}`);
    }
    // The first server still answers for its port: the failed starts closed what they had bound and took nothing.
    expect(first.addresses()).to.deep.equal([taken]);
  });
});
