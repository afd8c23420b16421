import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import { AnswerPlanner, type ResponsePlan } from './answer-planner.js';
import type { DnsEndpoint, DnsQueryRecord, DnsRecord, MalformedDnsRecord } from './dns-query-record.js';
import type { DnsRule, SinkholeAnswer } from './dns-rule.js';
import { JsonlWriter } from './jsonl-writer.js';
import type { ListenAddress } from './listen-address.js';
import { buildMalformedRecord, buildQueryRecord } from './record-builder.js';
import { recordLine } from './record-line.js';
import { bindListeners, closeSocketPair, type SocketPair } from './socket-pair.js';
import { TcpFrameReader } from './tcp-frame-reader.js';
import { TypedEvents } from './typed-events.js';
import { encodeFormErr, encodeResponse } from './wire-response.js';
import { parseWireQuery, type WireQuery } from './wire-query.js';

export interface DnsRecorderOptions {
  /** Each address gets UDP and TCP on the same port; port 0 picks a free one. */
  listen: ListenAddress[];
  rules?: readonly DnsRule[];
  now?: () => number;
  /** dns.jsonl: appended to, flushed at least every 500 ms. */
  logFile?: string;
  /** Seeds fail_ratio decisions. */
  seed?: number;
  sinkhole?: SinkholeAnswer;
  /** Keep records in memory for analysis (default true; long benchmarks turn it off). */
  keepRecords?: boolean;
  /** Close idle TCP connections after this long (RFC 7766 6.2.3 suggests seconds). */
  tcpIdleMs?: number;
  /**
   * Bind without `exclusive`, so that inside a node:cluster worker the socket is the
   * primary's one handle shared by every worker (DnsRecorderCluster). Default false.
   */
  sharedBind?: boolean;
}

export interface DnsRecorderEvents extends Record<string, unknown> {
  query: DnsQueryRecord;
  malformed: MalformedDnsRecord;
  error: unknown;
}

type Transport = 'udp' | 'tcp';
type Reply = (bytes: Buffer) => void;

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
  private readonly now: () => number;
  private stopped: Promise<void> | undefined;
  private readonly counted = { queries: 0, malformed: 0 };

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
      await bindListeners('DNS recorder', rec.pairs, options.listen,
        (msg, rinfo, udp) => rec.onUdp(udp, msg, rinfo), (socket) => rec.onTcp(socket),
        (e) => rec.events.emit('error', e), { exclusive: options.sharedBind !== true });
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
    await this.writer?.close();
  }

  private newPlanner(rules: readonly DnsRule[]): AnswerPlanner {
    return new AnswerPlanner(rules, { seed: this.options.seed, sinkhole: this.options.sinkhole });
  }

  private onUdp(udp: UdpSocket, msg: Buffer, rinfo: { address: string; port: number }): void {
    this.handle(msg, 'udp', { address: rinfo.address, port: rinfo.port }, (bytes) => {
      udp.send(bytes, rinfo.port, rinfo.address);
    });
  }

  private onTcp(socket: Socket): void {
    this.connections.add(socket);
    const client = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const reader = new TcpFrameReader();
    const reply: Reply = (bytes) => {
      if (!socket.destroyed && socket.writable) socket.write(bytes);
    };
    socket.setTimeout(this.options.tcpIdleMs ?? 10_000, () => socket.end());
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) this.handle(frame, 'tcp', client, reply);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.connections.delete(socket);
      const rest = reader.leftover();
      if (rest !== undefined) {
        this.addMalformed(buildMalformedRecord(rest, 'tcp', client, this.now(), 'connection closed inside a length-prefixed message'));
      }
    });
  }

  private handle(raw: Buffer, transport: Transport, client: DnsEndpoint, reply: Reply): void {
    const atMs = this.now();
    let query: WireQuery;
    try {
      query = parseWireQuery(raw);
    } catch (e) {
      this.addMalformed(buildMalformedRecord(raw, transport, client, atMs, e instanceof Error ? e.message : String(e)));
      const formErr = encodeFormErr(raw, transport);
      if (formErr !== undefined) reply(formErr);
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
      this.addQuery(buildQueryRecord(query, name, transport, client, atMs, { plan }, 0));
    } else if (plan.delayMs > 0) {
      this.answerLater(raw, query, name, transport, client, atMs, plan, reply);
    } else {
      this.answer(raw, query, name, transport, client, atMs, plan, reply);
    }
  }

  private answer(raw: Buffer, query: WireQuery, name: string, transport: Transport, client: DnsEndpoint, atMs: number, plan: ResponsePlan, reply: Reply): void {
    const encoded = encodeResponse(query, raw, { rcode: plan.rcode, answers: plan.answers, truncate: plan.truncate, transport });
    reply(encoded.bytes);
    this.addQuery(buildQueryRecord(query, name, transport, client, atMs, { plan, sent: encoded }, this.now() - atMs));
  }

  private answerLater(raw: Buffer, query: WireQuery, name: string, transport: Transport, client: DnsEndpoint, atMs: number, plan: ResponsePlan, reply: Reply): void {
    const copy = Buffer.from(raw);
    const p: Pending = {
      timer: setTimeout(() => p.finish(true), plan.delayMs),
      finish: (send) => {
        clearTimeout(p.timer);
        this.pending.delete(p);
        if (send) this.answer(copy, query, name, transport, client, atMs, plan, reply);
        else this.addQuery(buildQueryRecord(query, name, transport, client, atMs, { plan }, this.now() - atMs));
      },
    };
    this.pending.add(p);
  }

  private addQuery(record: DnsQueryRecord): void {
    this.counted.queries++;
    if (this.options.keepRecords !== false) this.log.push(record);
    this.writer?.writeLine(recordLine(record));
    this.events.emit('query', record);
  }

  private addMalformed(record: MalformedDnsRecord): void {
    this.counted.malformed++;
    if (this.options.keepRecords !== false) this.log.push(record);
    this.writer?.writeLine(recordLine(record));
    this.events.emit('malformed', record);
  }
}
