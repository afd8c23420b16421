import { BlockList } from 'node:net';
import { ipFamily } from './ip-address.js';

/** Node reports IPv4 peers of a dual-stack socket (and conntrack may print them) as `::ffff:a.b.c.d`. */
function plainAddress(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

/** Why `text` is not an address or CIDR block (`203.0.113.10`, `203.0.113.0/24`, `2001:db8::/32`), or undefined. */
export function addressBlockProblem(text: string): string | undefined {
  const [address, prefix, ...rest] = text.split('/');
  const family = ipFamily(address ?? '');
  if (family === undefined) return `"${address}" is not an IPv4 or IPv6 address`;
  if (rest.length > 0) return 'more than one "/"';
  if (prefix === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `prefix length must be a whole number from 0 to ${max}, got "${prefix}"`;
  return undefined;
}

/** One address or one CIDR block, as egress expectations name a destination. */
export class AddressBlock {
  private constructor(
    readonly source: string,
    private readonly list: BlockList,
  ) {}

  /** Throws RangeError naming what is wrong (addressBlockProblem). */
  static parse(source: string): AddressBlock {
    const problem = addressBlockProblem(source);
    if (problem !== undefined) throw new RangeError(`invalid address "${source}": ${problem}`);
    const [address, prefix] = source.split('/') as [string, string | undefined];
    const type = ipFamily(address) === 4 ? 'ipv4' : 'ipv6';
    const list = new BlockList();
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
    return new AddressBlock(source, list);
  }

  contains(address: string): boolean {
    const plain = plainAddress(address);
    const family = ipFamily(plain);
    return family !== undefined && this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}
