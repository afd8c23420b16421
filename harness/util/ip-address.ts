import ipaddr from 'ipaddr.js';

/**
 * 4 or 6 for an address as scenario and rules files write it, else undefined.
 * Stricter than ipaddr.js's own `isValid`, which also takes `127.1`,
 * `0x7f.0.0.1` and `010.0.0.1` (octal), forms that answer something nobody
 * meant; a zone id (`fe80::1%eth0`) has no place in AAAA data (RFC 3596).
 */
export function ipFamily(text: string): 4 | 6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return 4;
  if (!text.includes('%') && ipaddr.IPv6.isValid(text)) return 6;
  return undefined;
}

/** RFC 5952 text form (lower case, longest zero run as `::`). */
export function formatIpv6(bytes: Uint8Array): string {
  return (ipaddr.fromByteArray(Array.from(bytes)) as ipaddr.IPv6).toRFC5952String();
}
