/** RFC 1035 type and class numbers as the text the records use. */
const TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV',
  35: 'NAPTR', 39: 'DNAME', 41: 'OPT', 43: 'DS', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 50: 'NSEC3', 64: 'SVCB',
  65: 'HTTPS', 99: 'SPF', 252: 'AXFR', 255: 'ANY', 257: 'CAA',
};
const CLASSES: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export const TYPE = { A: 1, CNAME: 5, TXT: 16, AAAA: 28, OPT: 41, ANY: 255 } as const;
export const CLASS_IN = 1;
export const CLASS_ANY = 255;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 } as const;

export function typeName(n: number): string {
  return TYPES[n] ?? `TYPE${n}`;
}

export function typeNumber(name: string): number {
  for (const [n, t] of Object.entries(TYPES)) if (t === name) return Number(n);
  const m = /^TYPE(\d+)$/.exec(name);
  return m ? Number(m[1]) : -1;
}

export function className(n: number): string {
  return CLASSES[n] ?? `CLASS${n}`;
}

export function rcodeName(n: number): string {
  return n === RCODE.BADVERS ? 'BADVERS' : (RCODES[n] ?? `RCODE${n}`);
}
