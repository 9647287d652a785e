// Whether this browser can decode a recording's video codec (Media Source Extensions), and the codec's name for people.
const PROBES: Record<string, string[]> = {
  h264: ['video/mp4; codecs="avc1.4d401f"', 'video/mp4; codecs="avc1.42e01e"'],
  hevc: ['video/mp4; codecs="hvc1.1.6.L93.B0"', 'video/mp4; codecs="hev1.1.6.L93.B0"'],
};
const ALIASES: Record<string, string> = { h265: 'hevc', 'h.265': 'hevc', avc: 'h264', 'h.264': 'h264' };
const NAMES: Record<string, string> = { h264: 'H.264', hevc: 'H.265' };
const cache = new Map<string, boolean>();

function normal(codec: string): string {
  const c = codec.toLowerCase();
  return ALIASES[c] ?? c;
}

/** True when MSE here can play `codec` (unknown or unrecorded codecs are tried: true). */
export function browserDecodes(codec: string | null, isTypeSupported: (type: string) => boolean = mseSupports): boolean {
  if (!codec) return true;
  const c = normal(codec);
  const probes = PROBES[c];
  if (!probes) return true;
  let ok = cache.get(c);
  if (ok === undefined || isTypeSupported !== mseSupports) {
    ok = probes.some((t) => isTypeSupported(t));
    if (isTypeSupported === mseSupports) cache.set(c, ok);
  }
  return ok;
}

/** "H.265" for 'hevc', "H.264" for 'h264', else the codec in capitals. */
export function codecName(codec: string): string {
  const c = normal(codec);
  return NAMES[c] ?? c.toUpperCase();
}

function mseSupports(type: string): boolean {
  const ms = (globalThis as { MediaSource?: { isTypeSupported(t: string): boolean } }).MediaSource;
  return !!ms && ms.isTypeSupported(type);
}
