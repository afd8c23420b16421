import { isIPv6 } from 'node:net';

export interface ListenAddress {
  host: string;
  /** 0: any free port (the same one for UDP and TCP). */
  port: number;
}

/** `127.0.0.1:5353`, `[::1]:5353`, `::1` (port 53), `localhost:0`; undefined when unreadable. */
export function parseListenAddress(text: string, defaultPort = 53): ListenAddress | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return withPort(bracketed[1]!, bracketed[2], defaultPort);
  if (isIPv6(text)) return { host: text, port: defaultPort };
  const m = /^([^:]+)(?::(\d+))?$/.exec(text);
  return m ? withPort(m[1]!, m[2], defaultPort) : undefined;
}

function withPort(host: string, port: string | undefined, defaultPort: number): ListenAddress | undefined {
  const n = port === undefined ? defaultPort : Number(port);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? { host, port: n } : undefined;
}

export function formatListenAddress(a: ListenAddress): string {
  return isIPv6(a.host) ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
