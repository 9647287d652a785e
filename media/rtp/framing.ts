// RFC 4571 framing of RTP over TCP: each packet preceded by its 2-byte big-endian length; an incremental reader and the writer.

/** Frames one packet for a TCP stream. */
export function frame4571(packet: Buffer): Buffer {
  if (packet.length > 0xffff) throw new Error(`frame4571: packet of ${packet.length} bytes does not fit a 2-byte length`);
  const head = Buffer.alloc(2);
  head.writeUInt16BE(packet.length, 0);
  return Buffer.concat([head, packet]);
}

/**
 * Splits a TCP byte stream into packets, whatever the reads' boundaries (a length split from its packet, several packets
 * in one read). Zero-length frames are skipped. Memory stays bounded: at most one 64 KiB packet is held.
 */
export class Rfc4571Reader {
  private rest: Buffer = Buffer.alloc(0);

  constructor(private readonly onPacket: (packet: Buffer) => void) {}

  push(chunk: Buffer): void {
    let buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let off = 0;
    while (buf.length - off >= 2) {
      const len = buf.readUInt16BE(off);
      if (buf.length - off - 2 < len) break;
      if (len > 0) this.onPacket(buf.subarray(off + 2, off + 2 + len));
      off += 2 + len;
    }
    buf = buf.subarray(off);
    // Copy what is kept so the (large) read it came from can be collected.
    this.rest = buf.length ? Buffer.from(buf) : Buffer.alloc(0);
  }

  /** Bytes held waiting for the rest of a packet. */
  get pendingBytes(): number {
    return this.rest.length;
  }
}
