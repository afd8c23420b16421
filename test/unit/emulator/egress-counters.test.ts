import { expect } from 'chai';
import { parseEgressCounters } from '../../../harness/emulator/egress-counters.js';

describe('parseEgressCounters', () => {
  it('reads iptables-nft output (protocol numbers)', () => {
    const text = [
      'Chain FIRMLAB_EGRESS (2 references)',
      '    pkts      bytes target     prot opt in     out     source               destination         ',
      '       3      180 DROP       17   --  *      *       0.0.0.0/0            0.0.0.0/0           ',
      '       0        0 DROP       6    --  *      *       0.0.0.0/0            0.0.0.0/0           ',
      '       1       84 DROP       1    --  *      *       0.0.0.0/0            0.0.0.0/0           ',
      '       2      120 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0           ',
      '',
    ].join('\n');
    expect(parseEgressCounters(text)).to.deep.equal({
      packets: 6, bytes: 384,
      byProtocol: { udp: { packets: 3, bytes: 180 }, tcp: { packets: 0, bytes: 0 }, icmp: { packets: 1, bytes: 84 }, other: { packets: 2, bytes: 120 } },
    });
  });

  it('reads iptables-legacy output (protocol names)', () => {
    const text = 'Chain FIRMLAB_EGRESS (2 references)\n pkts bytes target prot opt in out source destination\n 5 300 DROP tcp -- * * 0.0.0.0/0 0.0.0.0/0\n 0 0 DROP all -- * * 0.0.0.0/0 0.0.0.0/0\n';
    const c = parseEgressCounters(text);
    expect(c.byProtocol.tcp).to.deep.equal({ packets: 5, bytes: 300 });
    expect(c.packets).to.equal(5);
  });

  it('refuses text that is not a chain listing', () => {
    expect(() => parseEgressCounters('iptables: No chain/target/match by that name.')).to.throw(/not iptables/);
  });
});
