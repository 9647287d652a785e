// The simulator's MPEG-PS muxer and PTZCmd codec: ffprobe/ffmpeg read its PS (H.264, H.265; G.711A / AAC audio) and the PSM carries GB/T 28181's stream types.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureClip } from '../helpers/clips';
import { run } from '../helpers/ffmpeg';
import { loadClip, type LoadedClip } from './clip-source';
import { crc32Mpeg, PsMuxer, type PsAudioCodec, type PsVideoCodec } from './ps-mux';
import { decodePtzCmd, encodePtzCmd, PtzHead } from './ptz';

let tmp: string;
let h264G711: string;
let h265: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gb-ps-test-'));
  h264G711 = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
  h265 = await ensureClip({ name: 'h265-silent', codec: 'h265', width: 640, height: 360, seconds: 4, bitrateKbps: 500, audio: false });
}, 180_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** One loop of the clip as PS, audio packs interleaved by time; the first pack is the keyframe's (its PSM names the audio stream before any audio PES, as on a device). */
function muxAll(clip: LoadedClip): Buffer {
  const mux = new PsMuxer(clip.video, clip.audio);
  const parts: Buffer[] = [];
  let ai = 0;
  clip.units.forEach((u, i) => {
    const t = Math.round((i * 90000) / clip.fps);
    while (ai < clip.audioFrames.length && clip.audioFrames[ai].t90k < t) {
      parts.push(mux.audioPack(clip.audioFrames[ai].data, 90000 + clip.audioFrames[ai].t90k));
      ai++;
    }
    parts.push(mux.videoPack(u.data, 90000 + t, u.key));
  });
  return Buffer.concat(parts);
}

async function probe(file: string): Promise<Array<{ codec_type: string; codec_name: string; id: string; nb_read_frames?: string }>> {
  const r = await run('ffprobe', [
    '-v',
    'error',
    '-f',
    'mpeg',
    '-count_frames',
    '-show_entries',
    'stream=codec_type,codec_name,id,nb_read_frames',
    '-of',
    'json',
    file,
  ]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { streams: Array<{ codec_type: string; codec_name: string; id: string; nb_read_frames?: string }> }).streams;
}

/** The PSM's (stream_type, stream_id) pairs, read straight from the bytes (ISO 13818-1 2.5.4), and whether its CRC holds. */
function psmEntries(ps: Buffer): { entries: Array<[number, number]>; crcOk: boolean } {
  const at = ps.indexOf(Buffer.from([0, 0, 1, 0xbc]));
  expect(at).toBeGreaterThanOrEqual(0);
  const len = ps.readUInt16BE(at + 4);
  const infoLen = ps.readUInt16BE(at + 8);
  const mapLen = ps.readUInt16BE(at + 10 + infoLen);
  const entries: Array<[number, number]> = [];
  for (let off = at + 12 + infoLen; off < at + 12 + infoLen + mapLen;) {
    entries.push([ps[off], ps[off + 1]]);
    off += 4 + ps.readUInt16BE(off + 2);
  }
  const end = at + 6 + len;
  return { entries, crcOk: crc32Mpeg(ps.subarray(at, end - 4)) === ps.readUInt32BE(end - 4) };
}

async function check(path: string, video: PsVideoCodec, audio: PsAudioCodec, name: string) {
  const clip = await loadClip(path, video, audio);
  const ps = muxAll(clip);
  const file = join(tmp, `${name}.ps`);
  await writeFile(file, ps);
  return { clip, ps, streams: await probe(file), file };
}

describe('MPEG-PS muxer', () => {
  it('H.264 + G.711A: ffmpeg decodes every video frame; the PSM says 0x1b and 0x90 (ffmpeg cannot name 0x90 itself)', async () => {
    const { clip, ps, streams } = await check(h264G711, 'h264', 'alaw', 'h264-alaw');
    const v = streams.find((s) => s.codec_type === 'video');
    expect(v).toMatchObject({ codec_name: 'h264', id: '0x1e0' });
    expect(Number(v?.nb_read_frames)).toBe(clip.units.length);
    expect(clip.units.length).toBe(100);
    expect(streams.some((s) => s.codec_type === 'audio' && s.id === '0x1c0')).toBe(true);
    const psm = psmEntries(ps);
    expect(psm.entries).toEqual([
      [0x1b, 0xe0],
      [0x90, 0xc0],
    ]);
    expect(psm.crcOk).toBe(true);
    // G.711A samples ride unchanged: 8000 bytes a second of audio.
    expect(clip.audioFrames.reduce((n, f) => n + f.data.length, 0)).toBeGreaterThanOrEqual(31_000);
  });

  it('H.265: ffmpeg reads stream type 0x24 as hevc and decodes every frame', async () => {
    const { clip, ps, streams } = await check(h265, 'h265', 'alaw', 'h265');
    const v = streams.find((s) => s.codec_type === 'video');
    expect(v).toMatchObject({ codec_name: 'hevc', id: '0x1e0' });
    expect(Number(v?.nb_read_frames)).toBe(clip.units.length);
    expect(psmEntries(ps).entries[0]).toEqual([0x24, 0xe0]);
  });

  it('AAC (stream type 0x0f) is read as aac', async () => {
    const withAac = await ensureClip({ name: 'h264-aac', width: 640, height: 360, seconds: 4, bitrateKbps: 600 });
    const { streams, ps } = await check(withAac, 'h264', 'aac', 'h264-aac');
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', id: '0x1c0' });
    expect(psmEntries(ps).entries).toEqual([
      [0x1b, 0xe0],
      [0x0f, 0xc0],
    ]);
  });

  it('re-encodes a clip with B-frames (PS timestamps here are decode order) and still decodes', async () => {
    const bframes = await ensureClip({ name: 'h264-bframes', width: 640, height: 360, seconds: 4, bitrateKbps: 600, bframes: 3, gopSeconds: 2 });
    const { clip, streams } = await check(bframes, 'h264', 'none', 'h264-bf');
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', nb_read_frames: String(clip.units.length) });
    expect(streams.some((s) => s.codec_type === 'audio')).toBe(false);
  });
});

describe('PTZCmd', () => {
  it('decodes directions, speeds, presets and refuses a bad checksum', () => {
    // A5 0F 01 | 0x09 = up + right | pan speed 0x80, tilt speed 0x40 | zoom speed 0
    const cmd = encodePtzCmd(0x09, 0x80, 0x40);
    expect(cmd).toMatch(/^A50F01098040/);
    expect(decodePtzCmd(cmd)).toEqual({ kind: 'move', pan: 1, tilt: 1, zoom: 0, panSpeed: 0x80, tiltSpeed: 0x40, zoomSpeed: 0 });
    expect(decodePtzCmd(encodePtzCmd(0x20, 0, 0, 5))).toMatchObject({ kind: 'move', zoom: -1, zoomSpeed: 5 });
    expect(decodePtzCmd(encodePtzCmd(0x00, 0, 0))).toEqual({ kind: 'stop' });
    expect(decodePtzCmd(encodePtzCmd(0x82, 0, 7))).toEqual({ kind: 'preset-goto', preset: 7 });
    // A real one from the field: stop, address 1.
    expect(decodePtzCmd('A50F0100000000B5')).toEqual({ kind: 'stop' });
    const bad = cmd.slice(0, 14) + ((parseInt(cmd.slice(14), 16) + 1) % 256).toString(16).padStart(2, '0');
    expect(() => decodePtzCmd(bad)).toThrow(/checksum/);
    expect(() => decodePtzCmd('A5FF0100000000B5')).toThrow(/check nibble/);
  });

  it('moves the head while a move is active and restores presets', () => {
    let nowMs = 0;
    const head = new PtzHead(() => nowMs);
    head.apply(decodePtzCmd(encodePtzCmd(0x01, 0xff, 0)));
    nowMs = 1000;
    expect(head.position().pan).toBe(60);
    head.apply(decodePtzCmd(encodePtzCmd(0x00, 0, 0)));
    head.apply(decodePtzCmd(encodePtzCmd(0x81, 0, 3)));
    nowMs = 5000;
    expect(head.position()).toEqual({ pan: 60, tilt: 0, zoom: 1 });
    head.apply(decodePtzCmd(encodePtzCmd(0x02, 0xff, 0)));
    nowMs = 5500;
    expect(head.position().pan).toBe(30);
    head.apply(decodePtzCmd(encodePtzCmd(0x82, 0, 3)));
    expect(head.position().pan).toBe(60);
  });
});
