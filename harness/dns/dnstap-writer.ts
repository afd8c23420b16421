import { createWriteStream, type WriteStream } from 'node:fs';
import ipaddr from 'ipaddr.js';
import protobuf from 'protobufjs';
import type { Endpoint } from '../util/endpoint.js';

/*
 * dns.dnstap: what the recorder saw, in dnstap (the protobuf schema unbound,
 * Knot, BIND and CoreDNS log in) inside a Frame Streams file, so tools that
 * read their logs (dnstap-read, dnstap-ldns, golang-dnstap) read the lab's.
 * The schema below is the part of dnstap.proto firmlab writes (field numbers
 * and enum values as the dnstap project publishes them); protobufjs encodes.
 */
const SCHEMA = `
syntax = "proto2";
package dnstap;
message Dnstap {
  optional bytes identity = 1;
  optional bytes version = 2;
  optional Message message = 14;
  enum Type { MESSAGE = 1; }
  required Type type = 15;
}
enum SocketFamily { INET = 1; INET6 = 2; }
enum SocketProtocol { UDP = 1; TCP = 2; }
message Message {
  enum Type { CLIENT_QUERY = 5; CLIENT_RESPONSE = 6; }
  required Type type = 1;
  optional SocketFamily socket_family = 2;
  optional SocketProtocol socket_protocol = 3;
  optional bytes query_address = 4;
  optional bytes response_address = 5;
  optional uint32 query_port = 6;
  optional uint32 response_port = 7;
  optional uint64 query_time_sec = 8;
  optional fixed32 query_time_nsec = 9;
  optional bytes query_message = 10;
  optional uint64 response_time_sec = 12;
  optional fixed32 response_time_nsec = 13;
  optional bytes response_message = 14;
}
`;
const DNSTAP = protobuf.parse(SCHEMA, { keepCase: true }).root.lookupType('dnstap.Dnstap');

/** Frame Streams: a data frame is its length then its bytes; a control frame is escaped by a zero length. */
const CONTENT_TYPE = 'protobuf:dnstap.Dnstap';
const CONTROL = { start: 2, stop: 3 } as const;
const FIELD_CONTENT_TYPE = 1;

function controlFrame(type: number, contentType?: string): Buffer {
  const fields = contentType === undefined ? Buffer.alloc(0) : Buffer.concat([u32(FIELD_CONTENT_TYPE), u32(contentType.length), Buffer.from(contentType, 'latin1')]);
  return Buffer.concat([u32(0), u32(4 + fields.length), u32(type), fields]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** One exchange as the recorder saw it. */
export interface DnstapExchange {
  transport: 'udp' | 'tcp';
  client: Endpoint;
  /** Where the guest sent it (the resolver it chose), else the recorder's own address. */
  server: Endpoint;
  atMs: number;
  query: Buffer;
  /** The answer sent and when; absent when none was (a dropped query). */
  response?: { atMs: number; bytes: Buffer };
}

function addressBytes(address: string): { family: number; bytes: Uint8Array } {
  const a = ipaddr.process(address);
  return { family: a.kind() === 'ipv4' ? 1 : 2, bytes: Uint8Array.from(a.toByteArray()) };
}

/** Appends CLIENT_QUERY and CLIENT_RESPONSE messages to a Frame Streams file; close() ends it with STOP. */
export class DnstapWriter {
  private readonly out: WriteStream;
  private failed: Error | undefined;

  private constructor(path: string, private readonly identity: string) {
    this.out = createWriteStream(path, { flags: 'w' });
    this.out.on('error', (e) => { this.failed = e; });
    this.out.write(controlFrame(CONTROL.start, CONTENT_TYPE));
  }

  static open(path: string, identity = 'firmlab'): DnstapWriter {
    return new DnstapWriter(path, identity);
  }

  write(x: DnstapExchange): void {
    if (this.failed) return;
    const client = addressBytes(x.client.address);
    const server = addressBytes(x.server.address);
    const base = {
      socket_family: client.family, socket_protocol: x.transport === 'udp' ? 1 : 2,
      query_address: client.bytes, query_port: x.client.port, response_address: server.bytes, response_port: x.server.port,
      query_time_sec: Math.floor(x.atMs / 1000), query_time_nsec: (x.atMs % 1000) * 1e6,
    };
    this.frame({ type: 5, ...base, query_message: x.query });
    if (x.response) {
      this.frame({
        type: 6, ...base, query_message: x.query, response_message: x.response.bytes,
        response_time_sec: Math.floor(x.response.atMs / 1000), response_time_nsec: (x.response.atMs % 1000) * 1e6,
      });
    }
  }

  private frame(message: Record<string, unknown>): void {
    const payload = DNSTAP.encode(DNSTAP.fromObject({ identity: Buffer.from(this.identity), type: 1, message })).finish();
    this.out.write(Buffer.concat([u32(payload.length), payload]));
  }

  /** Ends the stream with a STOP frame; resolves when the file is complete. */
  async close(): Promise<void> {
    if (this.out.closed) return;
    await new Promise<void>((resolve) => {
      this.out.end(controlFrame(CONTROL.stop), () => resolve());
      this.out.once('error', () => resolve());
    });
    if (this.failed) throw this.failed;
  }
}
