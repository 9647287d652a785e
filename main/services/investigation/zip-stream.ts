// Stored (uncompressed) ZIP with zip64, laid out from file sizes and CRC-32s known up front: exact size, any byte range streamed.
import fs from 'node:fs';
import { Readable } from 'node:stream';

export interface ZipInput {
  /** Name inside the archive (forward slashes, UTF-8). */
  name: string;
  /** Where the bytes are read from. */
  file: string;
  sizeBytes: number;
  crc32: number;
}

type Part = { kind: 'bytes'; offset: number; data: Buffer } | { kind: 'file'; offset: number; file: string; sizeBytes: number };

export interface ZipLayout {
  totalBytes: number;
  parts: Part[];
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

/** DOS date and time (local time of the server), as ZIP stores them. */
function dosDateTime(ms: number): { time: number; date: number } {
  const d = new Date(ms);
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * Lays out the archive. An entry uses zip64 fields when its size or its local header offset reaches `zip64AtBytes`
 * (0xFFFFFFFF by the format; lower only in tests, to exercise the zip64 path with small files); the end record is
 * zip64 when the entry count, the central directory's size or its offset does not fit 16/32 bits.
 */
export function layoutZip(entries: ZipInput[], mtimeMs: number, zip64AtBytes = MAX32): ZipLayout {
  const { time, date } = dosDateTime(mtimeMs);
  const parts: Part[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const zip64 = e.sizeBytes >= zip64AtBytes || offset >= zip64AtBytes;
    const localExtra = zip64 ? Buffer.alloc(20) : Buffer.alloc(0);
    if (zip64) {
      localExtra.writeUInt16LE(0x0001, 0);
      localExtra.writeUInt16LE(16, 2);
      localExtra.writeBigUInt64LE(BigInt(e.sizeBytes), 4);
      localExtra.writeBigUInt64LE(BigInt(e.sizeBytes), 12);
    }
    const version = zip64 ? 45 : 20;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(version, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(e.crc32 >>> 0, 14);
    local.writeUInt32LE(zip64 ? MAX32 : e.sizeBytes, 18);
    local.writeUInt32LE(zip64 ? MAX32 : e.sizeBytes, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    const header = Buffer.concat([local, name, localExtra]);
    parts.push({ kind: 'bytes', offset, data: header });
    const headerOffset = offset;
    offset += header.length;
    if (e.sizeBytes > 0) parts.push({ kind: 'file', offset, file: e.file, sizeBytes: e.sizeBytes });
    offset += e.sizeBytes;

    const cdExtra = zip64 ? Buffer.alloc(28) : Buffer.alloc(0);
    if (zip64) {
      cdExtra.writeUInt16LE(0x0001, 0);
      cdExtra.writeUInt16LE(24, 2);
      cdExtra.writeBigUInt64LE(BigInt(e.sizeBytes), 4);
      cdExtra.writeBigUInt64LE(BigInt(e.sizeBytes), 12);
      cdExtra.writeBigUInt64LE(BigInt(headerOffset), 20);
    }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE((3 << 8) | 45, 4); // made by Unix, spec 4.5
    cd.writeUInt16LE(version, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(0, 10);
    cd.writeUInt16LE(time, 12);
    cd.writeUInt16LE(date, 14);
    cd.writeUInt32LE(e.crc32 >>> 0, 16);
    cd.writeUInt32LE(zip64 ? MAX32 : e.sizeBytes, 20);
    cd.writeUInt32LE(zip64 ? MAX32 : e.sizeBytes, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt16LE(cdExtra.length, 30);
    cd.writeUInt16LE(0, 32); // comment
    cd.writeUInt16LE(0, 34); // disk
    cd.writeUInt16LE(0, 36); // internal attributes
    cd.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
    cd.writeUInt32LE(zip64 ? MAX32 : headerOffset, 42);
    central.push(cd, name, cdExtra);
  }
  const cdOffset = offset;
  const cdBuf = Buffer.concat(central);
  const cdSize = cdBuf.length;
  const tail: Buffer[] = [cdBuf];
  const zip64End = entries.length >= MAX16 || cdSize >= zip64AtBytes || cdOffset >= zip64AtBytes;
  if (zip64End) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE((3 << 8) | 45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeUInt32LE(0, 16);
    rec.writeUInt32LE(0, 20);
    rec.writeBigUInt64LE(BigInt(entries.length), 24);
    rec.writeBigUInt64LE(BigInt(entries.length), 32);
    rec.writeBigUInt64LE(BigInt(cdSize), 40);
    rec.writeBigUInt64LE(BigInt(cdOffset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeUInt32LE(0, 4);
    loc.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    loc.writeUInt32LE(1, 16);
    tail.push(rec, loc);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(zip64End ? MAX16 : entries.length, 8);
  end.writeUInt16LE(zip64End ? MAX16 : entries.length, 10);
  end.writeUInt32LE(zip64End ? MAX32 : cdSize, 12);
  end.writeUInt32LE(zip64End ? MAX32 : cdOffset, 16);
  end.writeUInt16LE(0, 20);
  tail.push(end);
  const tailBuf = Buffer.concat(tail);
  parts.push({ kind: 'bytes', offset: cdOffset, data: tailBuf });
  return { totalBytes: cdOffset + tailBuf.length, parts };
}

/** Streams bytes [start, endInclusive] of the archive; a source file that changed size makes the stream fail. */
export function zipRange(layout: ZipLayout, start: number, endInclusive: number): Readable {
  async function* gen(): AsyncGenerator<Buffer> {
    for (const p of layout.parts) {
      const len = p.kind === 'bytes' ? p.data.length : p.sizeBytes;
      const a = Math.max(start, p.offset);
      const b = Math.min(endInclusive + 1, p.offset + len);
      if (a >= b) continue;
      if (p.kind === 'bytes') {
        yield p.data.subarray(a - p.offset, b - p.offset);
        continue;
      }
      let got = 0;
      for await (const chunk of fs.createReadStream(p.file, { start: a - p.offset, end: b - p.offset - 1, highWaterMark: 1 << 20 })) {
        got += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (got !== b - a) throw new Error(`${p.file} is shorter than when the package was indexed`);
    }
  }
  return Readable.from(gen(), { objectMode: false });
}

/** Parses a single `Range: bytes=a-b` (also `a-` and `-n`) against a size; null = whole, 'unsatisfiable' = 416. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // multi-range or malformed: send the whole (RFC 9110 allows ignoring)
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
