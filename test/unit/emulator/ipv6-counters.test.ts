import { expect } from 'chai';
import { parseIpv6Counters } from '../../../harness/emulator/egress-counters.js';

// `ip6tables -L FIRMLAB_EGRESS6 -v -x -n` as the emulator image prints it (iptables-nft: protocol numbers).
const CHAIN = `Chain FIRMLAB_EGRESS6 (2 references)
    pkts      bytes target     prot opt in     out     source               destination
       3      168 DROP       58   --  *      *       ::/0                 ::/0                 ipv6-icmptype 133
      11      908 DROP       58   --  *      *       ::/0                 ::/0
       2      236 DROP       17   --  *      *       ::/0                 ::/0                 udp dpt:547
       4      340 DROP       17   --  *      *       ::/0                 ::/0                 udp dpt:53
       0        0 DROP       6    --  *      *       ::/0                 ::/0                 tcp dpt:53
       1       80 DROP       17   --  *      *       ::/0                 ::/0
       0        0 DROP       6    --  *      *       ::/0                 ::/0
       0        0 DROP       0    --  *      *       ::/0                 ::/0
`;

describe('parseIpv6Counters', () => {
  it('names each rule by its own match: router solicitations, other ICMPv6, DHCPv6, DNS, the rest', () => {
    const c = parseIpv6Counters(CHAIN);
    expect(c.byKind).to.deep.equal({
      routerSolicitation: { packets: 3, bytes: 168 },
      icmpv6: { packets: 11, bytes: 908 },
      dhcpv6: { packets: 2, bytes: 236 },
      dns: { packets: 4, bytes: 340 },
      udp: { packets: 1, bytes: 80 },
      tcp: { packets: 0, bytes: 0 },
      other: { packets: 0, bytes: 0 },
    });
    expect(c).to.include({ packets: 21, bytes: 1732 });
  });

  it('reads protocol names as iptables-legacy prints them', () => {
    const legacy = CHAIN.replace(/ 58 {3}/g, ' ipv6-icmp').replace(/ 17 {3}/g, ' udp  ').replace(/ 6 {4}/g, ' tcp  ');
    expect(parseIpv6Counters(legacy).byKind.routerSolicitation).to.deep.equal({ packets: 3, bytes: 168 });
    expect(parseIpv6Counters(legacy).byKind.dhcpv6).to.deep.equal({ packets: 2, bytes: 236 });
  });

  it('refuses text that is not a counter listing', () => {
    expect(() => parseIpv6Counters('ip6tables: No chain/target/match by that name.')).to.throw(/not ip6tables/);
  });
});
