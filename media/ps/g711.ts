// G.711 A-law → μ-law, byte for byte (ITU-T G.711 decoding and encoding), for PS audio ffmpeg 5.1 can only read as μ-law.

function alawToLinear(a: number): number {
  const v = a ^ 0x55;
  const seg = (v & 0x70) >> 4;
  let t = (v & 0x0f) << 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return v & 0x80 ? t : -t;
}

const MU_BIAS = 0x84;
const MU_CLIP = 32635;

function linearToMulaw(pcm: number): number {
  let x = pcm;
  const sign = x < 0 ? 0x80 : 0;
  if (x < 0) x = -x;
  if (x > MU_CLIP) x = MU_CLIP;
  x += MU_BIAS;
  let exp = 7;
  for (let mask = 0x4000; (x & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mant = (x >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mant) & 0xff;
}

/** μ-law byte of each A-law byte. */
export const ALAW_TO_MULAW: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let a = 0; a < 256; a++) t[a] = linearToMulaw(alawToLinear(a));
  return t;
})();

/** Converts A-law samples to μ-law in place. */
export function alawToMulawInPlace(b: Buffer, from = 0): void {
  for (let i = from; i < b.length; i++) b[i] = ALAW_TO_MULAW[b[i]!]!;
}

/** Linear 16-bit value of a μ-law byte (for tests). */
export function mulawToLinear(u: number): number {
  const v = ~u & 0xff;
  const t = (((v & 0x0f) << 3) + MU_BIAS) << ((v & 0x70) >> 4);
  return v & 0x80 ? MU_BIAS - t : t - MU_BIAS;
}

export { alawToLinear };
