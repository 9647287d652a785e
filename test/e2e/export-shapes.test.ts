// End to end: stream-copy exports over field-shaped recordings (B-frames, long GOP, silent, G.711 stored as AAC) start on the keyframe at or before the requested start, the manifest tells the true first and last frame, audio is there exactly where the source had it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, ExportJob, Manifest } from '../../common/investigation';
import type { FieldShape } from '../helpers/clips';
import { decodeBarcode, indexSegments, makeSegments, type SegShape } from './investigation-fixtures';
import { startInvServer, tempDir, until, type InvServer } from './investigation-server';
import { segShapeOf } from './shape-segments';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SHAPES: FieldShape[] = ['h264-bframes', 'h264-sub-longgop', 'h264-silent', 'h264-g711a'];
const SEG_S = 8;
const COUNT = 3;

/** Barcode frame numbers of every frame of a file, in presentation order. */
function frameNumbers(file: string): number[] {
  const r = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-map', '0:v:0', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', '320x240', '-'],
    { maxBuffer: 1 << 28 },
  );
  const size = 320 * 240;
  const out: number[] = [];
  for (let k = 0; k + size <= r.stdout.length; k += size) out.push(decodeBarcode((x, y) => r.stdout[k + y * 320 + x]!, 320));
  return out;
}

function streams(file: string): string[] {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(',').reverse().join(':'))
    .sort();
}

describe('stream-copy export over field shapes (real back end, ffmpeg)', () => {
  let dataDir: string;
  let srv: InvServer;
  let admin: string;
  let kase: Case;
  const t0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
  const cams = new Map<FieldShape, { id: number; shape: SegShape }>();

  beforeAll(async () => {
    dataDir = tempDir('export-shapes');
    srv = await startInvServer(dataDir);
    admin = await srv.token();
    kase = (await srv.api<Case>('POST', '/api/v1/cases', admin, { reference: 'CR-SHAPES/1' })).body;
    for (const name of SHAPES) {
      const cam = await srv.backend.store.cameras.create(
        {
          name,
          url: 'rtsp://127.0.0.1:1/none',
          subUrl: null,
          username: null,
          password: null,
          transport: 'tcp',
          enabled: false,
          segmentSeconds: SEG_S,
          retentionDays: 30,
          groupName: null,
          description: null,
        },
        Date.now(),
      );
      const shape = await segShapeOf(name, COUNT * SEG_S);
      await indexSegments(
        srv.backend.store,
        cam.id,
        await makeSegments(srv.backend.config.recordingsDir, cam.id, t0, COUNT, SEG_S, { shape, bitrateKbps: 300 }),
        [],
        shape,
      );
      cams.set(name, { id: cam.id, shape });
    }
  }, 300_000);

  afterAll(async () => {
    await srv?.backend.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(SHAPES)(
    '%s: starts on the keyframe at or before T1, manifest tells the first and last frame, audio as in the source',
    async (name) => {
      const { id, shape } = cams.get(name)!;
      const fps = shape.fps!;
      const gopS = shape.gopSeconds!;
      // T1 a little after a keyframe inside the first segment's second GOP; T2 inside the last segment.
      const t1 = t0 + gopS * 1000 + 120;
      const t2 = t0 + (COUNT - 1) * SEG_S * 1000 + 2500;
      const r = await srv.api<ExportJob>('POST', '/api/v1/exports', admin, { caseId: kase.id, sources: [{ cameraId: id }], startMs: t1, endMs: t2 });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const job = await until(
        async () => {
          const j = (await srv.api<ExportJob>('GET', `/api/v1/exports/${r.body.id}`, admin)).body;
          return j.state === 'done' || j.state === 'failed' ? j : null;
        },
        120_000,
        `export of ${name}`,
      );
      expect(job.state, job.error ?? '').toBe('done');
      const dir = path.join(dataDir, 'exports', job.dirName);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
      const src = manifest.sources[0]!;
      const mp4 = path.join(dir, src.file!);
      const frames = frameNumbers(mp4);
      const wallOf = (n: number) => t0 + (n * 1000) / fps;
      // The first frame is the keyframe at or before T1 (frame gopS * fps), never a later one.
      expect(frames[0], `first frame ${frames[0]} (${wallOf(frames[0]!) - t1} ms from T1)`).toBe(gopS * fps);
      expect(wallOf(frames[0]!)).toBeLessThanOrEqual(t1);
      // Frames follow each other without a hole.
      expect(
        frames.every((n, i) => i === 0 || n === frames[i - 1]! + 1),
        `consecutive frames: ${frames
          .filter((n, i) => i > 0 && n !== frames[i - 1]! + 1)
          .slice(0, 5)
          .join(',')} of ${frames.length}`,
      ).toBe(true);
      // The manifest tells the true first and last frame times.
      expect(Math.abs(src.firstFrameMs! - wallOf(frames[0]!))).toBeLessThanOrEqual(1);
      expect(Math.abs(src.lastFrameMs! - wallOf(frames[frames.length - 1]!))).toBeLessThanOrEqual(1);
      // Every frame asked for is there: the last frame is the one before T2 or, with B-frames, at most a few frames after.
      expect(wallOf(frames[frames.length - 1]!)).toBeGreaterThanOrEqual(t2 - 1000 / fps);
      expect(wallOf(frames[frames.length - 1]!)).toBeLessThan(t2 + ((shape.bframes ?? 0) + 1) * (1000 / fps));
      expect(src.recorded[0]!.startMs).toBe(src.firstFrameMs);
      expect(src.startMs).toBe(t1); // the request, as asked
      // Audio exactly where the source had it.
      expect(streams(mp4)).toEqual(shape.audio ? ['audio:aac', 'video:h264'] : ['video:h264']);
      const v = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/verify-export.ts'), dir], { cwd: ROOT, encoding: 'utf8' });
      expect(v.status, v.stdout + v.stderr).toBe(0);
    },
    180_000,
  );
});
