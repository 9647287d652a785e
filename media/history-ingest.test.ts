// Tests of the device-recording ingest: GB-style MPEG-PS (H.264 + G.711A, as devices send it) becomes MPEG-TS segments ffprobe plays, placed by stream time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPsSource, psBytes } from '../test/helpers/gb-ps';
import { run } from '../test/helpers/ffmpeg';
import { testLauncher } from '../test/harness/ffmpeg';
import { ingestHistory } from './history-ingest';

let dir: string;
let ps: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'history-ingest-'));
  ps = psBytes(await loadPsSource('h264-g711a', 10));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ingestHistory', () => {
  it('cuts the PS stream into playable segments covering its duration', async () => {
    const outDir = path.join(dir, 'out');
    // in small chunks, as RTP payloads arrive
    const chunks: Buffer[] = [];
    for (let i = 0; i < ps.length; i += 1400) chunks.push(ps.subarray(i, i + 1400));
    const ingest = ingestHistory(testLauncher(), { bytes: Readable.from(chunks), outDir, filePrefix: 'dl1', segmentSeconds: 4 }, () => undefined);
    const segs = await ingest.done;
    expect(segs.length).toBeGreaterThanOrEqual(2);
    expect(segs[0]!.offsetMs).toBe(0);
    for (const [i, s] of segs.entries()) {
      expect(path.basename(s.file)).toBe(`dl1-${String(i).padStart(6, '0')}.ts`);
      expect(s.videoCodec).toBe('h264');
      expect(s.width).toBe(640);
      expect(s.audioCodec).toBe('aac');
      expect(s.sizeBytes).toBeGreaterThan(0);
      if (i > 0) expect(s.offsetMs).toBe(segs[i - 1]!.offsetMs + segs[i - 1]!.durationMs);
    }
    const last = segs.at(-1)!;
    const totalMs = last.offsetMs + last.durationMs;
    expect(totalMs).toBeGreaterThan(9000);
    expect(totalMs).toBeLessThan(11_000);
    // ffprobe decodes every frame of the first segment
    const count = await run('ffprobe', [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-count_frames',
      '-show_entries',
      'stream=nb_read_frames',
      '-of',
      'csv=p=0',
      segs[0]!.file,
    ]);
    expect(Number(count.stdout.trim().split(/\s+/)[0]), count.stdout + count.stderr).toBeGreaterThanOrEqual(90);
  }, 120_000);

  it('rejects bytes that are not a recording', async () => {
    const ingest = ingestHistory(
      testLauncher(),
      { bytes: Readable.from([Buffer.alloc(50_000, 7)]), outDir: path.join(dir, 'bad'), filePrefix: 'dl2', segmentSeconds: 4 },
      () => undefined,
    );
    await expect(ingest.done).rejects.toThrow(/ffmpeg/);
  }, 60_000);
});
