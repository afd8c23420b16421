import { expect } from 'chai';
import ipaddr from 'ipaddr.js';
import { formatIpv6, ipFamily } from '../../../harness/util/ip-address.js';

describe('util/ip-address', () => {
  const families: [text: string, family: 4 | 6 | undefined][] = [
    ['203.0.113.10', 4],
    ['0.0.0.0', 4],
    ['255.255.255.255', 4],
    ['300.1.1.1', undefined], // was accepted and answered as 44.1.1.1
    ['1.2.3', undefined],
    ['127.1', undefined],
    ['0x7f.0.0.1', undefined],
    ['010.0.0.1', undefined],
    ['2001:db8::10', 6],
    ['::', 6],
    ['::ffff:192.0.2.1', 6],
    ['2001:db8:::1', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['fe80::1%eth0', undefined],
    ['example.com', undefined],
    ['', undefined],
  ];
  for (const [text, family] of families) it(`${JSON.stringify(text)} is ${family === undefined ? 'no address' : `IPv${family}`}`, () => expect(ipFamily(text)).to.equal(family));

  const v6: [string, string][] = [['2001:db8:0:0::7', '2001:db8::7'], ['::1', '::1'], ['::', '::'], ['2001:db8::192.0.2.1', '2001:db8::c000:201'], ['1:0:0:2:0:0:0:3', '1:0:0:2::3'], ['2001:DB8::A', '2001:db8::a']];
  for (const [input, output] of v6) it(`IPv6 ${input} reads back as ${output} (RFC 5952)`, () => expect(formatIpv6(Uint8Array.from(ipaddr.IPv6.parse(input).toByteArray()))).to.equal(output));
});
