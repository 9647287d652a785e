// PS units and the ffmpeg fix-up: splitting at any read boundary, PSM types, A-law → μ-law, and what ffprobe reads from GB-style PS (G.711A, G.711μ, AAC, H.265).
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ffprobe, run, FFMPEG_BIN } from '../../test/helpers/ffmpeg';
import { loadPsSource, psBytes } from '../../test/helpers/gb-ps';
import { ALAW_TO_MULAW, alawToLinear, mulawToLinear } from './g711';
import { PsForFfmpeg, type PsStreamTypes } from './for-ffmpeg';
import { PsSplitter, parsePsm, pesTimes } from './units';

const tmp = mkdtempSync(join(tmpdir(), 'argus-ps-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function fixed(ps: Buffer): Promise<{ bytes: Buffer; types: PsStreamTypes | null; dropped: number }> {
  let types: PsStreamTypes | null = null;
  const t = new PsForFfmpeg((x) => (types = x));
  const chunks: Buffer[] = [];
  // Odd read sizes: units are cut anywhere.
  const parts: Buffer[] = [];
  for (let i = 0; i < ps.length; i += 1399) parts.push(ps.subarray(i, i + 1399));
  for await (const c of Readable.from(parts).pipe(t)) chunks.push(c as Buffer);
  return { bytes: Buffer.concat(chunks), types, dropped: t.droppedAudioUnits };
}

describe('PsSplitter', () => {
  it('gives the same units whatever the chunking, skipping garbage between them', async () => {
    const src = await loadPsSource('h264-g711a', 2);
    const ps = Buffer.concat([Buffer.from('junk before'), psBytes(src)]);
    const whole: string[] = [];
    const a = new PsSplitter((id, u) => whole.push(`${id}:${u.length}`));
    a.push(ps);
    for (const step of [1, 5, 188, 1400]) {
      const got: string[] = [];
      const s = new PsSplitter((id, u) => got.push(`${id}:${u.length}`));
      for (let i = 0; i < ps.length; i += step) s.push(ps.subarray(i, i + step));
      expect(got).toEqual(whole);
      expect(s.skippedBytes).toBe('junk before'.length);
    }
    const ids = new Set(whole.map((x) => Number(x.split(':')[0])));
    expect([...ids].sort()).toEqual([0xba, 0xbb, 0xbc, 0xc0, 0xe0]);
  });

  it('reads the PSM types and PES times the muxer wrote', async () => {
    const src = await loadPsSource('h265-bframes-g711a', 2);
    const psms: Array<Map<number, number> | null> = [];
    const times: number[] = [];
    new PsSplitter((id, u) => {
      if (id === 0xbc) psms.push(parsePsm(u));
      if (id === 0xe0) times.push(pesTimes(u)?.dts ?? -1);
    }).push(psBytes(src));
    expect(psms.length).toBe(1); // 2 s GOP in 2 s
    expect([...psms[0]!]).toEqual([
      [0xe0, 0x24],
      [0xc0, 0x90],
    ]);
    expect(times.slice(0, 3)).toEqual(src.video.slice(0, 3).map((f) => f.dts));
  });
});

describe('G.711', () => {
  it('A-law to μ-law keeps each sample within the coarser step of the two laws', () => {
    for (let a = 0; a < 256; a++) {
      const lin = alawToLinear(a);
      const back = mulawToLinear(ALAW_TO_MULAW[a]!);
      expect(Math.abs(back - lin), `A-law byte ${a}`).toBeLessThanOrEqual(Math.max(16, Math.abs(lin) / 16));
    }
  });
});

describe('PsForFfmpeg: what ffmpeg 5.1 reads from GB/T 28181 PS', () => {
  it.each([
    ['h264-g711a', 'h264', 'pcm_mulaw'],
    ['h264-g711u', 'h264', 'pcm_mulaw'],
    ['h265-bframes-g711a', 'hevc', 'pcm_mulaw'],
    ['h264-aac', 'h264', 'aac'],
    ['h264-silent', 'h264', null],
  ] as const)('%s: video %s, audio %s, decoding without errors', async (shape, video, audio) => {
    const src = await loadPsSource(shape, 3);
    const raw = psBytes(src);
    const { bytes, types } = await fixed(raw);
    expect(types?.video).toBe(src.videoType);
    expect(types?.audio).toBe(src.audioType);
    const file = join(tmp, `${shape}.ps`);
    writeFileSync(file, bytes);
    const p = await ffprobe(file);
    expect(p.streams.filter((s) => s.codec_type === 'video').map((s) => s.codec_name)).toEqual([video]);
    expect(p.streams.filter((s) => s.codec_type === 'audio').map((s) => [s.codec_name, s.sample_rate])).toEqual(
      audio ? [[audio, audio === 'aac' ? '16000' : '8000']] : [],
    );
    const dec = await run(FFMPEG_BIN, ['-v', 'error', '-f', 'mpeg', '-i', file, '-f', 'null', '-'], { timeoutMs: 60_000 });
    expect(dec.stderr.trim()).toBe('');
  });

  it('without the fix-up, ffmpeg takes G.711A for MPEG audio (why it exists)', async () => {
    const file = join(tmp, 'raw-g711a.ps');
    writeFileSync(file, psBytes(await loadPsSource('h264-g711a', 3)));
    const p = await ffprobe(file);
    expect(p.streams.filter((s) => s.codec_type === 'audio').map((s) => s.codec_name)).not.toContain('pcm_alaw');
    expect(p.streams.filter((s) => s.codec_type === 'audio').map((s) => s.codec_name)).not.toContain('pcm_mulaw');
  });
});
