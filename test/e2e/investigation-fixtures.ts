// Test data for playback and export: real MPEG-TS segments made by ffmpeg's segment muxer (as the recorder writes them), with the frame number as a readable barcode, indexed into a real store.
import fs from 'node:fs';
import path from 'node:path';
import type { NewSegment, Store } from '../../storage/repositories';
import { runFfmpeg } from '../helpers/ffmpeg';

export const BAR_BITS = 16;
export const FPS = 25;

/**
 * The top 160 rows of each frame are BAR_BITS columns, white where bit i of the frame number is set (bit 0 on the left);
 * the rest is mid-grey with the wall-clock time burnt in when drawtext has a font.
 */
export function barcodeFilter(width: number): string {
  const col = width / BAR_BITS;
  return `geq=lum='if(lt(Y\\,160)\\,if(mod(floor(N/pow(2\\,floor(X/${col})))\\,2)\\,235\\,16)\\,128)':cb=128:cr=128`;
}

export interface RecordedSeg {
  file: string;
  relPath: string;
  startMs: number;
  endMs: number;
  /** First frame number in the file. */
  firstFrame: number;
}

/** Source shape of test segments: codec, B-frames, GOP, frame rate and audio (as FIELD_SHAPES describe them). */
export interface SegShape {
  codec?: 'h264' | 'h265';
  bframes?: number;
  gopSeconds?: number;
  fps?: number;
  /**
   * Audio track: 'aac' (a sine, AAC-LC), or the audio of a field clip transcoded to AAC ({ from: clip file }: how the
   * recorder stores G.711 cameras), or none.
   */
  audio?: 'aac' | { from: string } | null;
}

/**
 * Encodes `count` segments of `segSeconds` (by default: keyframe every second, no B-frames, 25 fps, H.264, no audio)
 * for a recording that starts at startMs, writes them under recordingsDir/<cameraId>/ and returns them (not indexed).
 * The frame number N of any frame maps to wall-clock time startMs + N * 1000 / fps. segSeconds must be a multiple of
 * the GOP (the segment muxer cuts on keyframes).
 */
export async function makeSegments(
  recordingsDir: string,
  cameraId: number,
  startMs: number,
  count: number,
  segSeconds: number,
  opts: { width?: number; height?: number; bitrateKbps?: number; shape?: SegShape; prefix?: string } = {},
): Promise<RecordedSeg[]> {
  const width = opts.width ?? 320;
  const height = opts.height ?? 240;
  const shape = opts.shape ?? {};
  const fps = shape.fps ?? FPS;
  const gop = String(Math.round((shape.gopSeconds ?? 1) * fps));
  const dir = path.join(recordingsDir, String(cameraId));
  fs.mkdirSync(dir, { recursive: true });
  const prefix = opts.prefix ?? `${startMs}`;
  const seconds = count * segSeconds;
  const audio = shape.audio ?? null;
  const audioIn =
    audio === null
      ? []
      : audio === 'aac'
        ? ['-f', 'lavfi', '-i', `sine=frequency=1000:sample_rate=16000:duration=${seconds}`]
        : ['-stream_loop', '-1', '-i', audio.from];
  const video =
    (shape.codec ?? 'h264') === 'h264'
      ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-bf', String(shape.bframes ?? 0), '-g', gop, '-keyint_min', gop, '-sc_threshold', '0']
      : [
          '-c:v',
          'libx265',
          '-preset',
          'ultrafast',
          '-x265-params',
          `log-level=error:keyint=${gop}:min-keyint=${gop}:scenecut=0:open-gop=0:bframes=${shape.bframes ?? 0}`,
        ];
  await runFfmpeg(
    [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=gray:s=${width}x${height}:r=${fps}:d=${seconds}`,
      ...audioIn,
      '-map',
      '0:v',
      ...(audio ? ['-map', '1:a', '-c:a', 'aac', '-b:a', '32k', '-ac', '1', '-ar', '16000'] : []),
      '-vf',
      barcodeFilter(width),
      ...video,
      '-pix_fmt',
      'yuv420p',
      ...(opts.bitrateKbps ? ['-b:v', `${opts.bitrateKbps}k`, '-maxrate', `${opts.bitrateKbps}k`, '-bufsize', `${opts.bitrateKbps}k`] : []),
      '-t',
      String(seconds),
      '-f',
      'segment',
      '-segment_time',
      String(segSeconds),
      '-segment_format',
      'mpegts',
      '-reset_timestamps',
      '0',
      path.join(dir, `${prefix}-%06d.ts`),
    ],
    { timeoutMs: 600_000 },
  );
  const out: RecordedSeg[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${String(i).padStart(6, '0')}.ts`;
    out.push({
      file: path.join(dir, name),
      relPath: `${cameraId}/${name}`,
      startMs: startMs + i * segSeconds * 1000,
      endMs: startMs + (i + 1) * segSeconds * 1000,
      firstFrame: i * segSeconds * fps,
    });
  }
  return out;
}

export function segmentRow(cameraId: number, s: RecordedSeg, width = 320, height = 240, shape: SegShape = {}): NewSegment {
  return {
    cameraId,
    relPath: s.relPath,
    startMs: s.startMs,
    endMs: s.endMs,
    durationMs: s.endMs - s.startMs,
    sizeBytes: fs.statSync(s.file).size,
    videoCodec: shape.codec === 'h265' ? 'hevc' : 'h264',
    audioCodec: shape.audio ? 'aac' : null,
    width,
    height,
    fps: shape.fps ?? FPS,
    state: 'closed',
    protected: false,
    recovered: false,
  };
}

/** Indexes the segments (all but those in `skip`, whose files are deleted: a gap) and returns the kept rows' ids. */
export async function indexSegments(store: Store, cameraId: number, segs: RecordedSeg[], skip: number[] = [], shape: SegShape = {}): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, s] of segs.entries()) {
    if (skip.includes(i)) {
      fs.rmSync(s.file, { force: true });
      continue;
    }
    ids.push((await store.segments.insert(segmentRow(cameraId, s, 320, 240, shape))).id);
  }
  return ids;
}

/** Frame number read back from the barcode of a decoded frame (RGB or gray bytes sampled at each column's centre, row 80). */
export function decodeBarcode(sample: (x: number, y: number) => number, width: number): number {
  let n = 0;
  for (let i = 0; i < BAR_BITS; i++) if (sample(Math.round((i + 0.5) * (width / BAR_BITS)), 80) > 128) n |= 1 << i;
  return n;
}

/** A camera that is never started (no reachable URL, disabled): the owner of segments the test indexes itself. */
export async function addStoppedCamera(store: Store, name = 'Gate cam'): Promise<{ id: number }> {
  return store.cameras.create(
    {
      name,
      url: 'rtsp://127.0.0.1:1/none',
      subUrl: null,
      username: null,
      password: null,
      transport: 'tcp',
      enabled: false,
      segmentSeconds: 6,
      retentionDays: 30,
      groupName: null,
      description: null,
    },
    Date.now(),
  );
}
