import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import type { ListenAddress } from './listen-address.js';
import { ListenError } from './listen-error.js';

/** A UDP socket and a TCP server bound to the same host and port. */
export interface SocketPair {
  host: string;
  port: number;
  udp: UdpSocket;
  tcp: Server;
}

const RECV_BUFFER_BYTES = 8 << 20;

/**
 * Replies only ever go to the address a query came from, which is already an IP
 * literal: skip dns.lookup (a validation pass and a process.nextTick per reply).
 */
function literalLookup(address: string, family: unknown, callback: (err: Error | null, address: string, family: number) => void): void {
  callback(null, address, address.includes(':') ? 6 : 4);
}

/**
 * Binds UDP first (port 0 picks one), then TCP on the same port, retrying when the
 * kernel's choice for UDP is taken for TCP. DNS clients retry truncated answers
 * over TCP on the same port, so the pair must match.
 */
export async function bindSocketPair(
  address: ListenAddress,
  onMessage: (msg: Buffer, rinfo: { address: string; port: number }, udp: UdpSocket) => void,
  onConnection: (socket: Socket) => void,
): Promise<SocketPair> {
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket({ type: isIPv6(address.host) ? 'udp6' : 'udp4', recvBufferSize: RECV_BUFFER_BYTES, lookup: literalLookup });
    udp.on('message', (msg, rinfo) => onMessage(msg, rinfo, udp));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind({ address: address.host, port: address.port, exclusive: true }, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const port = udp.address().port;
    const tcp = createServer({ noDelay: true }, onConnection);
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen({ host: address.host, port, ipv6Only: isIPv6(address.host) }, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      return { host: address.host, port, udp, tcp };
    } catch (e) {
      udp.close();
      if (address.port !== 0 || attempt >= 9 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    }
  }
}

/**
 * Binds a pair for every address into `pairs` (pushed as they bind, so a caller
 * that fails half way can still close what is open), names the server and the
 * address in a ListenError, and forwards socket errors to `onError`.
 */
export async function bindListeners(
  server: string,
  pairs: SocketPair[],
  addresses: readonly ListenAddress[],
  onMessage: (msg: Buffer, rinfo: { address: string; port: number }, udp: UdpSocket) => void,
  onConnection: (socket: Socket) => void,
  onError: (e: unknown) => void,
): Promise<void> {
  for (const address of addresses) {
    const pair = await bindSocketPair(address, onMessage, onConnection).catch((e: unknown) => {
      throw new ListenError(server, address, e);
    });
    pairs.push(pair);
    pair.udp.on('error', onError);
    pair.tcp.on('error', onError);
  }
}

export async function closeSocketPair(pair: SocketPair, connections: Iterable<Socket>): Promise<void> {
  for (const s of connections) s.destroy();
  await Promise.all([
    new Promise<void>((resolve) => pair.udp.close(() => resolve())),
    new Promise<void>((resolve) => pair.tcp.close(() => resolve())),
  ]);
}
