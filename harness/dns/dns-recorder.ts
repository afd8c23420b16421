import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import { AnswerPlanner, type ResponsePlan } from './answer-planner.js';
import type { Endpoint } from '../util/endpoint.js';
import { JsonlWriter } from '../util/jsonl-writer.js';
import { DnstapWriter } from './dnstap-writer.js';
import type { ListenAddress } from '../util/listen-address.js';
import type { OriginalDestinationLookup } from '../util/original-destination-lookup.js';
import { bindListeners, closeSocketPair, type SocketPair } from '../util/socket-pair.js';
import { TypedEvents } from '../util/typed-events.js';
import type { DnsQueryRecord, DnsRecord, MalformedDnsRecord } from './dns-query-record.js';
import type { DnsRule, SinkholeAnswer } from './dns-rule.js';
import { buildMalformedRecord, buildQueryRecord } from './record-builder.js';
import { TcpFrameReader } from './tcp-frame-reader.js';
import { encodeFormErr, encodeResponse, parseWireQuery, type WireQuery } from './dns-codec.js';

export interface DnsRecorderOptions {
  /** Each address gets UDP and TCP on the same port; port 0 picks a free one. */
  listen: ListenAddress[];
  rules?: readonly DnsRule[];
  now?: () => number;
  /** dns.jsonl: appended to, flushed at least every 500 ms. */
  logFile?: string;
  /** dns.dnstap: every query and answer on the wire, as dnstap in a Frame Streams file (dnstap-writer.ts). */
  dnstapFile?: string;
  /** Seeds fail_ratio decisions. */
  seed?: number;
  sinkhole?: SinkholeAnswer;
  /** Keep records in memory for analysis (default true; long benchmarks turn it off). */
  keepRecords?: boolean;
  /** Close idle TCP connections after this long (RFC 7766 6.2.3 suggests seconds). */
  tcpIdleMs?: number;
  /**
   * Where each query was really sent (`resolver` in its record). With it, a
   * record is logged and emitted once the hook answers, still in arrival
   * order; answers to the guest never wait for it.
   */
  originalDestination?: OriginalDestinationLookup;
}

export interface DnsRecorderEvents extends Record<string, unknown> {
  query: DnsQueryRecord;
  malformed: MalformedDnsRecord;
  error: unknown;
}

type Transport = 'udp' | 'tcp';
type Reply = (bytes: Buffer) => void;

/** Who sent a message, how to answer, and (for the originalDestination hook only) which listener took it. */
interface Peer {
  readonly transport: Transport;
  readonly client: Endpoint;
  readonly reply: Reply;
  readonly local: () => Endpoint;
}

/** A query's bytes as received and its answer's as sent, for dns.dnstap. */
interface Wire {
  query: Buffer;
  response?: { atMs: number; bytes: Buffer };
}

interface Pending {
  timer: NodeJS.Timeout;
  finish: (send: boolean) => void;
}

/**
 * The lab's only resolver: answers every query by the rules (first match wins),
 * records each one (in memory, dns.jsonl, and as a `query` event), and injects
 * the faults the rules ask for. Malformed input is recorded, never fatal.
 */
export class DnsRecorder implements AsyncDisposable {
  private readonly events = new TypedEvents<DnsRecorderEvents>((e) => this.events.emit('error', e));
  private readonly log: DnsRecord[] = [];
  private readonly connections = new Set<Socket>();
  private readonly pending = new Set<Pending>();
  private readonly pairs: SocketPair[] = [];
  private planner: AnswerPlanner;
  private writer: JsonlWriter | undefined;
  private dnstap: DnstapWriter | undefined;
  private readonly now: () => number;
  private stopped: Promise<void> | undefined;
  private readonly counted = { queries: 0, malformed: 0 };
  /** The last record waiting for its resolver; later records are logged after it. */
  private ordered: Promise<void> = Promise.resolve();

  private constructor(private readonly options: DnsRecorderOptions) {
    this.now = options.now ?? Date.now;
    this.planner = this.newPlanner(options.rules ?? []);
  }

  static async start(options: DnsRecorderOptions): Promise<DnsRecorder> {
    const rec = new DnsRecorder(options);
    try {
      if (options.logFile !== undefined) {
        rec.writer = await JsonlWriter.open(options.logFile, { onError: (e) => rec.events.emit('error', e) });
      }
      if (options.dnstapFile !== undefined) rec.dnstap = DnstapWriter.open(options.dnstapFile);
      await bindListeners('DNS recorder', rec.pairs, options.listen,
        (msg, rinfo, udp) => rec.onUdp(udp, msg, rinfo), (socket) => rec.onTcp(socket),
        (e) => rec.events.emit('error', e));
    } catch (e) {
      await rec.stop();
      throw e;
    }
    return rec;
  }

  /** The bound addresses with their actual ports (UDP and TCP share each port). */
  addresses(): ListenAddress[] {
    return this.pairs.map((p) => ({ host: p.host, port: p.port }));
  }

  /** Everything recorded so far, queries and malformed packets, in arrival order. */
  get records(): readonly DnsRecord[] {
    return this.log;
  }

  /** How many queries and malformed packets were recorded (also when `keepRecords` is false). */
  get counts(): { queries: number; malformed: number } {
    return { ...this.counted };
  }

  on<K extends keyof DnsRecorderEvents>(event: K, fn: (value: DnsRecorderEvents[K]) => void): () => void {
    return this.events.on(event, fn);
  }

  /** Swaps the rules for queries that arrive from now on (scenarios inject faults mid-run). */
  setRules(rules: readonly DnsRule[]): void {
    this.planner = this.newPlanner(rules);
  }

  /** Resolves when every record so far is written to the log file. */
  async flush(): Promise<void> {
    await this.ordered;
    await this.writer?.flush();
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private async shutdown(): Promise<void> {
    // Delayed answers still waiting are recorded as not answered: the lab is going away.
    for (const p of [...this.pending]) p.finish(false);
    await Promise.all(this.pairs.map((p) => closeSocketPair(p, this.connections)));
    // Until no record is left waiting for its resolver: one that arrived as the sockets closed
    // joins the chain after this started waiting, and must reach dns.jsonl and dns.dnstap alike.
    for (let last = this.ordered; ; last = this.ordered) {
      await last;
      if (last === this.ordered) break;
    }
    await this.writer?.close();
    await this.dnstap?.close().catch((e: unknown) => this.events.emit('error', e));
  }

  private newPlanner(rules: readonly DnsRule[]): AnswerPlanner {
    return new AnswerPlanner(rules, { seed: this.options.seed, sinkhole: this.options.sinkhole });
  }

  private readonly udpLocal = new WeakMap<UdpSocket, Endpoint>();

  /**
   * A UDP socket's own address, read once while it is open: a record may be
   * logged after the socket closed (the lab going down, its resolver lookup
   * still out), and `address()` of a closed socket throws.
   */
  private localOf(udp: UdpSocket): Endpoint {
    let local = this.udpLocal.get(udp);
    if (local === undefined) {
      const a = udp.address();
      local = { address: a.address, port: a.port };
      this.udpLocal.set(udp, local);
    }
    return local;
  }

  private onUdp(udp: UdpSocket, msg: Buffer, rinfo: { address: string; port: number }): void {
    this.localOf(udp);
    this.handle(msg, {
      transport: 'udp',
      client: { address: rinfo.address, port: rinfo.port },
      reply: (bytes) => udp.send(bytes, rinfo.port, rinfo.address),
      local: () => this.localOf(udp),
    });
  }

  private onTcp(socket: Socket): void {
    this.connections.add(socket);
    const local = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 };
    const peer: Peer = {
      transport: 'tcp',
      client: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      reply: (bytes) => {
        if (!socket.destroyed && socket.writable) socket.write(bytes);
      },
      local: () => local,
    };
    const reader = new TcpFrameReader();
    socket.setTimeout(this.options.tcpIdleMs ?? 10_000, () => socket.end());
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) this.handle(frame, peer);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.connections.delete(socket);
      const rest = reader.leftover();
      if (rest !== undefined) {
        this.addMalformed(buildMalformedRecord(rest, 'tcp', peer.client, this.now(), 'connection closed inside a length-prefixed message'));
      }
    });
  }

  private handle(raw: Buffer, peer: Peer): void {
    const atMs = this.now();
    const { transport } = peer;
    let query: WireQuery;
    try {
      query = parseWireQuery(raw);
    } catch (e) {
      this.addMalformed(buildMalformedRecord(raw, transport, peer.client, atMs, e instanceof Error ? e.message : String(e)));
      const formErr = encodeFormErr(raw, transport);
      if (formErr !== undefined) peer.reply(formErr);
      return;
    }
    const name = query.nameAsSent.toLowerCase();
    const plan = this.planner.plan({
      name,
      qtype: query.qtype,
      qclass: query.qclass,
      opcode: (query.flags >> 11) & 0xf,
      ednsVersion: query.edns?.version,
      transport,
    });
    if (plan.action === 'drop') {
      this.addQuery(buildQueryRecord(query, name, transport, peer.client, atMs, { plan }, 0), peer, { query: raw });
    } else if (plan.delayMs > 0) {
      this.answerLater(raw, query, name, peer, atMs, plan);
    } else {
      this.answer(raw, query, name, peer, atMs, plan);
    }
  }

  private answer(raw: Buffer, query: WireQuery, name: string, peer: Peer, atMs: number, plan: ResponsePlan): void {
    const { transport } = peer;
    const encoded = encodeResponse(query, { rcode: plan.rcode, answers: plan.answers, truncate: plan.truncate, transport });
    peer.reply(encoded.bytes);
    const sentAt = this.now();
    this.addQuery(buildQueryRecord(query, name, transport, peer.client, atMs, { plan, sent: encoded }, sentAt - atMs), peer,
      // Over TCP what was sent carries its 2-byte length; dnstap wants the message alone.
      { query: raw, response: { atMs: sentAt, bytes: transport === 'tcp' ? encoded.bytes.subarray(2) : encoded.bytes } });
  }

  private answerLater(raw: Buffer, query: WireQuery, name: string, peer: Peer, atMs: number, plan: ResponsePlan): void {
    const copy = Buffer.from(raw);
    const p: Pending = {
      timer: setTimeout(() => p.finish(true), plan.delayMs),
      finish: (send) => {
        clearTimeout(p.timer);
        this.pending.delete(p);
        if (send) this.answer(copy, query, name, peer, atMs, plan);
        else this.addQuery(buildQueryRecord(query, name, peer.transport, peer.client, atMs, { plan }, this.now() - atMs), peer, { query: copy });
      },
    };
    this.pending.add(p);
  }

  private addQuery(record: DnsQueryRecord, peer: Peer, wire: Wire): void {
    const lookup = this.options.originalDestination;
    if (lookup === undefined) {
      this.logQuery(record, peer, wire);
      return;
    }
    // Looked up at once (a burst shares one conntrack read), logged in arrival order.
    const resolver = this.resolverOf(lookup, peer);
    this.inOrder(async () => {
      record.resolver = await resolver;
      this.logQuery(record, peer, wire);
    });
  }

  private async resolverOf(lookup: OriginalDestinationLookup, peer: Peer): Promise<Endpoint | undefined> {
    try {
      return (await lookup({ transport: peer.transport, client: peer.client, local: peer.local() })) ?? undefined;
    } catch (e) {
      this.events.emit('error', e);
      return undefined;
    }
  }

  private inOrder(step: () => void | Promise<void>): void {
    this.ordered = this.ordered.then(step).catch((e: unknown) => this.events.emit('error', e));
  }

  private logQuery(record: DnsQueryRecord, peer: Peer, wire: Wire): void {
    this.counted.queries++;
    if (this.options.keepRecords !== false) this.log.push(record);
    this.writer?.write(record);
    this.dnstap?.write({ transport: record.transport, client: record.client, server: record.resolver ?? peer.local(), atMs: record.atMs, ...wire });
    this.events.emit('query', record);
  }

  private addMalformed(record: MalformedDnsRecord): void {
    if (this.options.originalDestination === undefined) this.logMalformed(record);
    else this.inOrder(() => this.logMalformed(record));
  }

  private logMalformed(record: MalformedDnsRecord): void {
    this.counted.malformed++;
    if (this.options.keepRecords !== false) this.log.push(record);
    this.writer?.write(record);
    this.events.emit('malformed', record);
  }
}
