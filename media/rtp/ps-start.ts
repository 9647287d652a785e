// Where a reader may start in a PS byte stream carried by RTP: payloads that begin with a pack header, and packs of a keyframe.

/** True when the payload begins with an MPEG-PS pack header (00 00 01 BA). */
export function isPackStart(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0xba;
}

/** Length of the pack header at the start of `b` (MPEG-2: 14 + stuffing; MPEG-1: 12), or -1 when it is cut short. */
export function packHeaderLength(b: Buffer): number {
  if (b.length < 5) return -1;
  if ((b[4]! & 0xc0) === 0x40) return b.length < 14 ? -1 : 14 + (b[13]! & 0x07);
  return 12;
}

/**
 * True when the pack's next unit is a system header (BB) or a PSM (BC): GB/T 28181 devices send them before each
 * keyframe, so a reader starting there gets the stream types (PSM) before any elementary-stream packet.
 */
export function isKeyPack(b: Buffer): boolean {
  const n = packHeaderLength(b);
  if (n < 0 || b.length < n + 4) return false;
  return b[n] === 0 && b[n + 1] === 0 && b[n + 2] === 1 && (b[n + 3] === 0xbb || b[n + 3] === 0xbc);
}
