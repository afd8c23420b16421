import { expect } from 'chai';
import { parseClientHello } from '../../../harness/egress/client-hello.js';
import { sniffFirstBytes } from '../../../harness/egress/first-bytes-sniffer.js';
import { HOMESHIELDD_CLIENT_HELLO as hello, HOMESHIELDD_SNI } from './homeshieldd-client-hello.js';

describe('TLS ClientHello of the fixture daemon (tls-when-off)', () => {
  it('is the capture it claims to be: one record whose lengths add up', () => {
    expect(hello.length).to.equal(139);
    expect(hello.readUInt16BE(3)).to.equal(hello.length - 5); // record length
    expect(hello.readUIntBE(6, 3)).to.equal(hello.length - 9); // ClientHello length
  });

  it('gives the sinkhole its SNI', () => {
    expect(parseClientHello(hello)).to.deep.equal({ kind: 'client-hello', sni: HOMESHIELDD_SNI });
    expect(sniffFirstBytes(hello)).to.deep.equal({ sni: HOMESHIELDD_SNI, complete: true });
  });

  it('is incomplete at every shorter length, as when TCP delivers it in pieces', () => {
    for (let n = 0; n < hello.length; n++) expect(parseClientHello(hello.subarray(0, n)).kind, `${n} bytes`).to.equal('incomplete');
  });
});
