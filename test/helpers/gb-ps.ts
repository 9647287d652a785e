// Test helper: GB/T 28181-style MPEG-PS from a field clip (ffmpeg → MPEG-TS → our PS muxer: pack per frame, system header + PSM before keyframes, G.711/AAC audio packs).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { muxAudioPacket, muxVideoFrame, type EsPacket } from '../../media/ps/mux';
import { FIELD_SHAPES, fieldClip, type FieldShape } from './clips';
import { runFfmpeg } from './ffmpeg';

export type { EsPacket };

export interface PsSource {
  video: EsPacket[];
  audio: EsPacket[];
  /** PSM stream types. */
  videoType: number;
  audioType: number | null;
  /** 90 kHz length of one pass (for looping with advancing times). */
  durationTicks: number;
}

/** A chunk of PS that starts with a pack header (one video frame, or one audio packet), with its send time. */
export interface PsChunk {
  dts: number;
  video: boolean;
  bytes: Buffer;
}

const TS_TYPES: Record<number, { kind: 'video' | 'audio'; ps: number }> = {
  0x1b: { kind: 'video', ps: 0x1b },
  0x24: { kind: 'video', ps: 0x24 },
  0x0f: { kind: 'audio', ps: 0x0f },
};

/** Reads the elementary streams of a field clip (via an MPEG-TS remux, one PES per frame) into memory. */
export async function loadPsSource(shape: FieldShape, seconds = 10): Promise<PsSource> {
  const audio = (FIELD_SHAPES[shape] as { audio: string | false }).audio;
  return loadPsSourceFromClip(await fieldClip(shape, seconds), audio === 'alaw' || audio === 'mulaw' ? audio : null);
}

/** The same from any clip (ensureClip); `g711` names its G.711 audio track, if it has one. */
export async function loadPsSourceFromClip(clip: string, g711: 'alaw' | 'mulaw' | null): Promise<PsSource> {
  const dir = await mkdtemp(join(tmpdir(), 'argus-gbps-'));
  try {
    const ts = join(dir, 'a.ts');
    await runFfmpeg(['-v', 'error', '-y', '-i', clip, '-map', '0', '-c', 'copy', '-f', 'mpegts', ts], { timeoutMs: 120_000 });
    return demuxTs(await readFile(ts), g711 === 'alaw' ? 0x90 : g711 === 'mulaw' ? 0x91 : null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function demuxTs(buf: Buffer, g711Type: number | null): PsSource {
  const pids = new Map<number, { kind: 'video' | 'audio'; ps: number }>();
  const pes = new Map<number, { key: boolean; parts: Buffer[] }>();
  const out: Record<'video' | 'audio', EsPacket[]> = { video: [], audio: [] };
  let pmtPid = -1;
  const finish = (pid: number) => {
    const cur = pes.get(pid);
    const kind = pids.get(pid)?.kind;
    if (!cur || !kind) return;
    const b = Buffer.concat(cur.parts);
    pes.delete(pid);
    if (b.length < 9) return;
    const flags = b[7]! >> 6;
    const rd = (o: number) => ((b[o]! >> 1) & 7) * 2 ** 30 + ((b[o + 1]! << 7) | (b[o + 2]! >> 1)) * 2 ** 15 + ((b[o + 3]! << 7) | (b[o + 4]! >> 1));
    const pts = rd(9);
    const dts = flags === 3 ? rd(14) : pts;
    out[kind].push({ pts, dts, key: cur.key, data: b.subarray(9 + b[8]!) });
  };
  for (let off = 0; off + 188 <= buf.length; off += 188) {
    const p = buf.subarray(off, off + 188);
    const pid = ((p[1]! & 0x1f) << 8) | p[2]!;
    const start = (p[1]! & 0x40) !== 0;
    const afc = (p[3]! >> 4) & 3;
    let o = 4;
    let rai = false;
    if (afc & 2) {
      rai = p[4]! > 0 && (p[5]! & 0x40) !== 0;
      o += 1 + p[4]!;
    }
    if (!(afc & 1) || o >= 188) continue;
    const payload = p.subarray(o);
    if (pid === 0 && start) pmtPid = ((payload[1 + 10]! & 0x1f) << 8) | payload[1 + 11]!;
    else if (pid === pmtPid && start) {
      const sec = payload.subarray(1 + payload[0]!);
      const secLen = ((sec[1]! & 0x0f) << 8) | sec[2]!;
      const infoLen = ((sec[10]! & 0x0f) << 8) | sec[11]!;
      for (let i = 12 + infoLen; i < 3 + secLen - 4;) {
        const type = sec[i]!;
        const epid = ((sec[i + 1]! & 0x1f) << 8) | sec[i + 2]!;
        const known = TS_TYPES[type] ?? (type === 0x06 && g711Type !== null ? { kind: 'audio' as const, ps: g711Type } : undefined);
        if (known) pids.set(epid, known);
        i += 5 + (((sec[i + 3]! & 0x0f) << 8) | sec[i + 4]!);
      }
    } else if (pids.has(pid)) {
      if (start) {
        finish(pid);
        pes.set(pid, { key: rai, parts: [] });
      }
      pes.get(pid)?.parts.push(payload);
    }
  }
  for (const pid of [...pes.keys()]) finish(pid);
  let videoType = 0x1b;
  let audioType: number | null = null;
  for (const t of pids.values()) {
    if (t.kind === 'video') videoType = t.ps;
    else audioType = t.ps;
  }
  const audio = audioType === 0x90 || audioType === 0x91 ? splitG711(out.audio) : out.audio;
  const v = out.video;
  const frame = v.length > 1 ? (v[v.length - 1]!.dts - v[0]!.dts) / (v.length - 1) : 3600;
  const durationTicks = Math.round(v.length ? v[v.length - 1]!.dts - v[0]!.dts + frame : 0);
  return { video: v, audio, videoType, audioType, durationTicks };
}

/** G.711 as 40 ms audio packets (what devices send), times following the samples (8 kHz → 11.25 ticks a sample). */
function splitG711(packets: EsPacket[]): EsPacket[] {
  const res: EsPacket[] = [];
  for (const p of packets) {
    for (let i = 0; i < p.data.length; i += 320) {
      const pts = p.pts + Math.round((i * 90000) / 8000);
      res.push({ pts, dts: pts, key: true, data: p.data.subarray(i, i + 320) });
    }
  }
  return res;
}

/** The PS of one pass, times shifted by `offsetTicks`, as send-ordered chunks (each starts with a pack header). */
export function muxPs(src: PsSource, offsetTicks = 0): PsChunk[] {
  const chunks: PsChunk[] = [];
  for (const f of src.video) {
    const dts = f.dts + offsetTicks;
    chunks.push({ dts, video: true, bytes: muxVideoFrame(src, { ...f, pts: f.pts + offsetTicks, dts }) });
  }
  for (const a of src.audio) {
    const pts = a.pts + offsetTicks;
    chunks.push({ dts: pts, video: false, bytes: muxAudioPacket({ ...a, pts, dts: pts }) });
  }
  return chunks.sort((x, y) => x.dts - y.dts);
}

/** A whole PS file of `passes` passes (for feeding ffmpeg or a pipe source directly). */
export function psBytes(src: PsSource, passes = 1): Buffer {
  const all: Buffer[] = [];
  for (let i = 0; i < passes; i++) for (const c of muxPs(src, i * src.durationTicks)) all.push(c.bytes);
  return Buffer.concat(all);
}
