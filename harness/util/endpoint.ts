import { isIPv6 } from 'node:net';

/** One end of a flow: an IP literal and a port, as the recorder, the sinkhole and conntrack see it. */
export interface Endpoint {
  address: string;
  port: number;
}

/** `203.0.113.10:443`, `[2001:db8::1]:123`. */
export function formatEndpoint(e: { readonly address: string; readonly port: number }): string {
  return isIPv6(e.address) ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}
