// RTP packets (RFC 3550): parse one datagram into its header fields and payload (CSRCs, header extension and padding stripped); build one for tests and senders.

/** One parsed RTP packet; `payload` is a view into the datagram (no copy). */
export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

/** Why a datagram is not an RTP packet we can use. */
export type RtpParseError = 'short' | 'version' | 'csrc' | 'extension' | 'padding' | 'rtcp';

/**
 * Parses one RTP packet. Any payload type number is accepted (devices send 96, 98, 33...); RTCP multiplexed on the same
 * port (packet types 200–204) is recognised and refused as 'rtcp'. Never throws: a malformed datagram gives its reason.
 */
export function parseRtp(buf: Buffer): RtpPacket | RtpParseError {
  if (buf.length < 12) return 'short';
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  if (b0 >> 6 !== 2) return 'version';
  if (b1 >= 200 && b1 <= 204) return 'rtcp';
  let offset = 12 + 4 * (b0 & 0x0f);
  if (offset > buf.length) return 'csrc';
  if (b0 & 0x10) {
    if (offset + 4 > buf.length) return 'extension';
    offset += 4 + 4 * buf.readUInt16BE(offset + 2);
    if (offset > buf.length) return 'extension';
  }
  let end = buf.length;
  if (b0 & 0x20) {
    const pad = buf[buf.length - 1]!;
    if (pad === 0 || offset + pad > buf.length) return 'padding';
    end -= pad;
  }
  return {
    payloadType: b1 & 0x7f,
    marker: (b1 & 0x80) !== 0,
    seq: buf.readUInt16BE(2),
    timestamp: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    payload: buf.subarray(offset, end),
  };
}

/** What buildRtp writes beyond the fixed header (for simulators and tests: CSRCs, an extension, padding). */
export interface RtpBuildOptions {
  payloadType?: number;
  marker?: boolean;
  seq: number;
  timestamp: number;
  ssrc: number;
  csrcs?: number[];
  /** Header extension: profile id and whole 32-bit words of data. */
  extension?: { profile: number; data: Buffer };
  /** Padding bytes to append (1..255). */
  paddingBytes?: number;
}

/** Builds one RTP packet around `payload`. */
export function buildRtp(payload: Buffer, o: RtpBuildOptions): Buffer {
  const csrcs = o.csrcs ?? [];
  const ext = o.extension;
  if (ext && ext.data.length % 4 !== 0) throw new Error('buildRtp: extension data must be whole 32-bit words');
  const pad = o.paddingBytes ?? 0;
  if (pad < 0 || pad > 255) throw new Error('buildRtp: padding must be 0..255 bytes');
  const head = Buffer.alloc(12 + 4 * csrcs.length + (ext ? 4 + ext.data.length : 0));
  head[0] = 0x80 | (pad ? 0x20 : 0) | (ext ? 0x10 : 0) | (csrcs.length & 0x0f);
  head[1] = ((o.marker ? 1 : 0) << 7) | ((o.payloadType ?? 96) & 0x7f);
  head.writeUInt16BE(o.seq & 0xffff, 2);
  head.writeUInt32BE(o.timestamp >>> 0, 4);
  head.writeUInt32BE(o.ssrc >>> 0, 8);
  let off = 12;
  for (const c of csrcs) {
    head.writeUInt32BE(c >>> 0, off);
    off += 4;
  }
  if (ext) {
    head.writeUInt16BE(ext.profile & 0xffff, off);
    head.writeUInt16BE(ext.data.length / 4, off + 2);
    ext.data.copy(head, off + 4);
  }
  if (!pad) return Buffer.concat([head, payload]);
  const tail = Buffer.alloc(pad);
  tail[pad - 1] = pad;
  return Buffer.concat([head, payload, tail]);
}
