// The product PS muxer (media/ps/mux.ts): ffprobe reads its H.264 and H.265 PS with every frame, and the PSM names GB/T 28181's stream types.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureClip } from '../../test/helpers/clips';
import { run } from '../../test/helpers/ffmpeg';
import { loadPsSourceFromClip, psBytes } from '../../test/helpers/gb-ps';
import { muxVideoFrame } from './mux';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ps-mux-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function probe(file: string): Promise<Array<{ codec_type: string; codec_name: string; nb_read_frames?: string }>> {
  const r = await run('ffprobe', [
    '-v',
    'error',
    '-f',
    'mpeg',
    '-count_frames',
    '-show_entries',
    'stream=codec_type,codec_name,nb_read_frames',
    '-of',
    'json',
    file,
  ]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { streams: Array<{ codec_type: string; codec_name: string; nb_read_frames?: string }> }).streams;
}

describe('PS muxer', () => {
  it.each([
    ['h264', 0x1b, 'h264'],
    ['h265', 0x24, 'hevc'],
  ] as const)(
    '%s: ffprobe reads every frame; keyframes carry the PSM with type %d',
    async (codec, type, probeName) => {
      const clip = await ensureClip({ name: `ps-mux-${codec}`, codec, width: 320, height: 240, seconds: 2, bitrateKbps: 300, audio: false });
      const src = await loadPsSourceFromClip(clip, null);
      expect(src.videoType).toBe(type);
      const file = join(tmp, `${codec}.ps`);
      await writeFile(file, psBytes(src));
      const streams = await probe(file);
      const video = streams.find((s) => s.codec_type === 'video');
      expect(video?.codec_name).toBe(probeName);
      expect(Number(video?.nb_read_frames)).toBe(src.video.length);
      const key = muxVideoFrame(
        src,
        src.video.find((f) => f.key)!,
      );
      expect(key.readUInt32BE(0)).toBe(0x000001ba);
      const at = key.indexOf(Buffer.from([0, 0, 1, 0xbc]));
      expect(at).toBeGreaterThan(0);
      expect(key[at + 12]).toBe(type);
      const delta = muxVideoFrame(
        src,
        src.video.find((f) => !f.key)!,
      );
      expect(delta.indexOf(Buffer.from([0, 0, 1, 0xbc]))).toBe(-1);
    },
    120_000,
  );
});
