/**
 * Splits a TCP byte stream into DNS messages (2-byte big-endian length prefix,
 * RFC 1035 4.2.2; several per connection, RFC 7766 6.2.1).
 */
export class TcpFrameReader {
  private buffered: Buffer | undefined;

  /** Feeds a chunk; returns every message it completed (possibly none). */
  push(chunk: Buffer): Buffer[] {
    let buf = this.buffered === undefined ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: Buffer[] = [];
    while (buf.length >= 2) {
      const len = buf.readUInt16BE(0);
      if (buf.length < 2 + len) break;
      frames.push(buf.subarray(2, 2 + len));
      buf = buf.subarray(2 + len);
    }
    this.buffered = buf.length > 0 ? buf : undefined;
    return frames;
  }

  /** Bytes of an unfinished message (for recording what a closed connection left behind). */
  leftover(): Buffer | undefined {
    return this.buffered;
  }
}
