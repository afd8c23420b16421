import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import type { EgressRecord } from './egress-record.js';
import { sniffFirstBytes } from './first-bytes-sniffer.js';
import type { Endpoint } from '../util/endpoint.js';
import { JsonlWriter } from '../util/jsonl-writer.js';
import type { ListenAddress } from '../util/listen-address.js';
import type { OriginalDestinationLookup } from '../util/original-destination-lookup.js';
import { bindListeners, closeSocketPair, type SocketPair } from '../util/socket-pair.js';
import { TypedEvents } from '../util/typed-events.js';

export interface SinkholeOptions {
  /** Each address gets TCP and UDP on the same port. */
  listen: ListenAddress[];
  now?: () => number;
  /** egress.jsonl */
  logFile?: string;
  /** Where each flow was really going; when it cannot tell, the record names the sinkhole's own address. */
  originalDestination?: OriginalDestinationLookup;
  /** Read at most this much from a connection (default 4 KiB). */
  maxBytes?: number;
  /** Close a TCP connection that sent nothing for this long (default 2 s). */
  idleMs?: number;
  /** Close any TCP connection after this long, however it trickles (default 10 s). */
  maxMs?: number;
}

export interface SinkholeEvents extends Record<string, unknown> {
  egress: EgressRecord;
  error: unknown;
}

/**
 * Accepts whatever non-DNS traffic the lab redirects to it, records the first
 * bytes (TLS SNI, HTTP Host), answers nothing and closes. No TLS handshake is
 * completed, so no client ever believes it reached its server.
 */
export class Sinkhole implements AsyncDisposable {
  private readonly events = new TypedEvents<SinkholeEvents>((e) => this.events.emit('error', e));
  private readonly log: EgressRecord[] = [];
  private readonly connections = new Set<Socket>();
  private readonly pairs: SocketPair[] = [];
  private writer: JsonlWriter | undefined;
  private readonly now: () => number;
  private stopped: Promise<void> | undefined;

  private constructor(private readonly options: SinkholeOptions) {
    this.now = options.now ?? Date.now;
  }

  static async start(options: SinkholeOptions): Promise<Sinkhole> {
    const s = new Sinkhole(options);
    try {
      if (options.logFile !== undefined) s.writer = await JsonlWriter.open(options.logFile, { onError: (e) => s.events.emit('error', e) });
      await bindListeners('sinkhole', s.pairs, options.listen,
        (msg, rinfo, udp) => void s.onUdp(udp, msg, rinfo), (socket) => s.onTcp(socket),
        (e) => s.events.emit('error', e));
    } catch (e) {
      await s.stop();
      throw e;
    }
    return s;
  }

  addresses(): ListenAddress[] {
    return this.pairs.map((p) => ({ host: p.host, port: p.port }));
  }

  get records(): readonly EgressRecord[] {
    return this.log;
  }

  on<K extends keyof SinkholeEvents>(event: K, fn: (value: SinkholeEvents[K]) => void): () => void {
    return this.events.on(event, fn);
  }

  async flush(): Promise<void> {
    await this.writer?.flush();
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      await Promise.all(this.pairs.map((p) => closeSocketPair(p, this.connections)));
      await this.writer?.close();
    })();
    return this.stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private get maxBytes(): number {
    return this.options.maxBytes ?? 4096;
  }

  private async onUdp(udp: UdpSocket, msg: Buffer, rinfo: { address: string; port: number }): Promise<void> {
    const atMs = this.now();
    const local = udp.address();
    const client = { address: rinfo.address, port: rinfo.port };
    const destination = await this.destination('udp', client, { address: local.address, port: local.port });
    this.add({ kind: 'egress', atMs, transport: 'udp', client, destination, bytes: msg.length, firstBytesHex: msg.subarray(0, this.maxBytes).toString('hex'), durationMs: 0 });
  }

  private onTcp(socket: Socket): void {
    const atMs = this.now();
    this.connections.add(socket);
    const client = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const local = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 };
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(hardStop);
      socket.destroy();
      const first = Buffer.concat(chunks).subarray(0, this.maxBytes);
      const sniffed = sniffFirstBytes(first);
      const durationMs = this.now() - atMs;
      void this.destination('tcp', client, local).then((destination) =>
        this.add({
          kind: 'egress', atMs, transport: 'tcp', client, destination, bytes,
          firstBytesHex: first.toString('hex'),
          ...(sniffed.sni === undefined ? {} : { sni: sniffed.sni }),
          ...(sniffed.httpHost === undefined ? {} : { httpHost: sniffed.httpHost }),
          durationMs,
        }),
      );
    };
    const hardStop = setTimeout(finish, this.options.maxMs ?? 10_000);
    socket.setTimeout(this.options.idleMs ?? 2000, finish);
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes - chunk.length < this.maxBytes) chunks.push(chunk);
      // Stop as soon as the opening message is complete or the cap is reached.
      if (bytes >= this.maxBytes || sniffFirstBytes(Buffer.concat(chunks)).complete) finish();
    });
    socket.on('end', finish);
    socket.on('error', finish);
    socket.on('close', () => {
      this.connections.delete(socket);
      finish();
    });
  }

  private async destination(transport: 'tcp' | 'udp', client: Endpoint, local: Endpoint): Promise<Endpoint> {
    try {
      return (await this.options.originalDestination?.({ transport, client, local })) ?? local;
    } catch (e) {
      this.events.emit('error', e);
      return local;
    }
  }

  private add(record: EgressRecord): void {
    this.log.push(record);
    this.writer?.write(record);
    this.events.emit('egress', record);
  }
}
