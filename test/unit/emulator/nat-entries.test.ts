import { expect } from 'chai';
import { originalDestinationOf, parseConntrack } from '../../../harness/emulator/nat-entries.js';

// Real `conntrack -L -f ipv4` lines from an emulator container (conntrack-tools 1.4.7):
// the guest (10.200.0.2) aimed at documentation addresses, DNAT'd to the lab's
// listeners on the gateway (10.213.5.1) and masqueraded to the container (10.213.5.2).
const TABLE = [
  'tcp      6 117 TIME_WAIT src=10.200.0.2 dst=192.0.2.10 sport=40001 dport=443 src=10.213.5.1 dst=10.213.5.2 sport=36000 dport=40001 [ASSURED] mark=0 use=1',
  'udp      17 28 src=10.200.0.2 dst=203.0.113.7 sport=51000 dport=123 [UNREPLIED] src=10.213.5.1 dst=10.213.5.2 sport=36000 dport=51000 mark=0 use=1',
  'udp      17 25 src=10.200.0.2 dst=198.51.100.53 sport=33333 dport=53 src=10.213.5.1 dst=10.213.5.2 sport=45000 dport=33333 mark=0 use=1',
  'tcp      6 431999 ESTABLISHED src=10.213.5.1 dst=10.213.5.2 sport=50000 dport=80 src=192.168.0.1 dst=192.168.0.2 sport=80 dport=50000 [ASSURED] mark=0 use=1',
  'icmp     1 29 src=10.200.0.2 dst=203.0.113.7 type=8 code=0 id=5 src=203.0.113.7 dst=10.200.0.2 type=0 code=0 id=5 mark=0 use=1',
  'conntrack v1.4.7 (conntrack-tools): 5 flow entries have been shown.',
].join('\n');

describe('parseConntrack', () => {
  const entries = parseConntrack(TABLE);

  it('reads both tuples of each TCP and UDP flow and skips the rest', () => {
    expect(entries).to.have.length(4);
    expect(entries[0]).to.deep.equal({
      transport: 'tcp',
      original: { source: { address: '10.200.0.2', port: 40001 }, destination: { address: '192.0.2.10', port: 443 } },
      reply: { source: { address: '10.213.5.1', port: 36000 }, destination: { address: '10.213.5.2', port: 40001 } },
      dnat: true,
    });
    expect(entries[1]!.transport).to.equal('udp');
    expect(entries[1]!.original.destination).to.deep.equal({ address: '203.0.113.7', port: 123 });
  });

  it('tells DNAT from plain flows: a rewritten destination shows in the reply source', () => {
    expect(entries.map((e) => e.dnat)).to.deep.equal([true, true, true, true]);
    const plain = parseConntrack('udp 17 20 src=10.0.0.2 dst=10.0.0.1 sport=1000 dport=2000 src=10.0.0.1 dst=10.0.0.2 sport=2000 dport=1000 mark=0 use=1');
    expect(plain[0]!.dnat).to.equal(false);
  });

  it('accepts -o extended output (the layer 3 columns first)', () => {
    const ext = parseConntrack('ipv4     2 tcp      6 117 TIME_WAIT src=10.200.0.2 dst=192.0.2.10 sport=40001 dport=443 src=10.213.5.1 dst=10.213.5.2 sport=36000 dport=40001 [ASSURED] mark=0 use=1');
    expect(ext[0]!.original.destination).to.deep.equal({ address: '192.0.2.10', port: 443 });
  });

  it('returns nothing for an empty table or garbage', () => {
    expect(parseConntrack('')).to.deep.equal([]);
    expect(parseConntrack('tcp 6 src=1.2.3.4')).to.deep.equal([]);
  });
});

describe('originalDestinationOf', () => {
  const entries = parseConntrack(TABLE);
  const sinkhole = { address: '10.213.5.1', port: 36000 };

  it('finds the guest\'s real destination from what the listener saw', () => {
    expect(originalDestinationOf(entries, { transport: 'tcp', client: { address: '10.213.5.2', port: 40001 }, local: sinkhole }))
      .to.deep.equal({ address: '192.0.2.10', port: 443 });
    expect(originalDestinationOf(entries, { transport: 'udp', client: { address: '10.213.5.2', port: 51000 }, local: sinkhole }))
      .to.deep.equal({ address: '203.0.113.7', port: 123 });
  });

  it('matches transport, listener and IPv4-mapped client addresses', () => {
    expect(originalDestinationOf(entries, { transport: 'udp', client: { address: '10.213.5.2', port: 40001 } })).to.equal(undefined);
    expect(originalDestinationOf(entries, { transport: 'udp', client: { address: '10.213.5.2', port: 33333 }, local: sinkhole })).to.equal(undefined);
    expect(originalDestinationOf(entries, { transport: 'tcp', client: { address: '::ffff:10.213.5.2', port: 40001 }, local: { address: '::ffff:10.213.5.1', port: 36000 } }))
      .to.deep.equal({ address: '192.0.2.10', port: 443 });
  });
});
