// Tests of the fake-camera infrastructure: generated clips, the looping GStreamer RTSP server over every field shape, real ffmpeg recordings.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureClip, FIELD_SHAPE_NAMES, FIELD_SHAPES, fieldClip, type ClipOptions, type FieldShape } from './clips';
import { FFMPEG_BIN, FFPROBE_BIN, ffprobe, probePackets, recordRtsp, run, type ProbeResult } from './ffmpeg';
import { freePort } from './net';
import { PARAMETER_SETS, readVideoRtp, startsKeyframe } from './rtp-packets';
import { startRtspServer, type RtspServer } from './rtsp-server';

let dir: string;
const servers: RtspServer[] = [];

async function serve(...args: Parameters<typeof startRtspServer>): Promise<RtspServer> {
  const server = await startRtspServer(...args);
  servers.push(server);
  return server;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'argus-rtsp-test-'));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function streamOf(probe: ProbeResult, type: 'video' | 'audio') {
  return probe.streams.find((s) => s.codec_type === type);
}

describe('ensureClip', () => {
  it('generates an H.264/AAC MP4 with a 1 s GOP, cached by parameters', async () => {
    const clip = await ensureClip({ width: 640, height: 360, seconds: 3, bitrateKbps: 800 });
    expect(await ensureClip({ width: 640, height: 360, seconds: 3, bitrateKbps: 800 })).toBe(clip);
    expect(clip).toMatch(/test\/fixtures\/generated\/clip-h264-640x360-25fps-3s-800k-aac16k-r\d+\.mp4$/);

    const probe = await ffprobe(clip);
    const video = streamOf(probe, 'video');
    expect(video).toMatchObject({ codec_name: 'h264', profile: 'Main', width: 640, height: 360, avg_frame_rate: '25/1' });
    expect(video?.has_b_frames).toBe(0);
    expect(streamOf(probe, 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '16000', channels: 1 });
    expect(Number(probe.format.duration)).toBeCloseTo(3, 0);

    const keyTimes = (await probePackets(clip)).filter((p) => p.streamIndex === video!.index && p.keyframe).map((p) => p.ptsTime);
    expect(keyTimes).toEqual([0, 1, 2]);
  });

  it('can encode the audio at another sample rate', async () => {
    const clip = await ensureClip({ width: 320, height: 240, seconds: 2, bitrateKbps: 300, audioSampleRate: 48000 });
    expect(clip).toMatch(/-aac48k-/);
    expect(streamOf(await ffprobe(clip), 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
  });

  it('can leave the audio out', async () => {
    const clip = await ensureClip({ width: 320, height: 240, seconds: 2, bitrateKbps: 300, audio: false, name: 'mute' });
    const probe = await ffprobe(clip);
    expect(streamOf(probe, 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(streamOf(probe, 'audio')).toBeUndefined();
  });
});

describe('rtsp_server.py', () => {
  it.each(['tcp', 'udp'] as const)('serves a clip that ffmpeg records over %s', async (transport) => {
    const clip = await ensureClip(); // 1280x720, 25 fps, 10 s, AAC
    const server = await serve({ mounts: { '/cam1': clip } });
    expect(server.url('cam1')).toBe(`rtsp://127.0.0.1:${server.port}/cam1`);

    const out = join(dir, `rec-${transport}.ts`);
    await recordRtsp(server.url('/cam1'), out, { seconds: 6, transport });

    const probe = await ffprobe(out);
    expect(streamOf(probe, 'video')).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(streamOf(probe, 'audio')).toMatchObject({ codec_name: 'aac' });
    expect(Number(probe.format.duration)).toBeGreaterThanOrEqual(5);
    expect(Number(probe.format.duration)).toBeLessThanOrEqual(7);
  });

  it('loops the clip in real time with timestamps that never go backwards', async () => {
    const clip = await ensureClip({ width: 640, height: 360, seconds: 3, bitrateKbps: 800 });
    const server = await serve({ count: 1, clip });
    const out = join(dir, 'loop.ts');
    const rec = await recordRtsp(server.url('cam1'), out, { seconds: 7 });
    // a live camera: 7 s of stream take (about) 7 s to arrive, not "as fast as possible"
    expect(rec.elapsedMs).toBeGreaterThan(5_500);

    const probe = await ffprobe(out);
    const video = streamOf(probe, 'video')!;
    const audio = streamOf(probe, 'audio')!;
    expect(video).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(audio).toMatchObject({ codec_name: 'aac' });
    expect(Number(probe.format.duration)).toBeGreaterThanOrEqual(6);
    expect(Number(probe.format.duration)).toBeLessThanOrEqual(8);

    const packets = await probePackets(out);
    for (const stream of [video, audio]) {
      const dts = packets.filter((p) => p.streamIndex === stream.index).map((p) => p.dtsTime);
      expect(dts.every((t) => t !== null)).toBe(true);
      const backwards = dts.filter((t, i) => i > 0 && t! <= dts[i - 1]!);
      expect(backwards, `${stream.codec_type} DTS not increasing`).toEqual([]);
      const spanS = dts[dts.length - 1]! - dts[0]!;
      expect(spanS).toBeGreaterThan(6); // spans at least two loop boundaries (3 s and 6 s)
    }
    // no frame lost or duplicated at the loop boundaries: 25 fps, steady 40 ms steps
    const vdts = packets.filter((p) => p.streamIndex === video.index).map((p) => p.dtsTime!);
    const steps = vdts.slice(1).map((t, i) => t - vdts[i]!);
    expect(Math.max(...steps)).toBeLessThan(0.045);
    expect(Math.min(...steps)).toBeGreaterThan(0.035);
    // keyframes keep coming every second across loops
    const keys = packets.filter((p) => p.streamIndex === video.index && p.keyframe);
    expect(keys.length).toBeGreaterThanOrEqual(6);
  });

  it('shares one mount between clients without rewinding it when another client joins', async () => {
    const clip = await ensureClip({ width: 640, height: 360, seconds: 3, bitrateKbps: 800 });
    const server = await serve({ count: 1, clip });
    const first = join(dir, 'shared-1.ts');
    const second = join(dir, 'shared-2.ts');
    const recording = recordRtsp(server.url('cam1'), first, { seconds: 6 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await recordRtsp(server.url('cam1'), second, { seconds: 2, transport: 'udp' });
    await recording;

    const probe = await ffprobe(first);
    const video = streamOf(probe, 'video')!;
    const vdts = (await probePackets(first)).filter((p) => p.streamIndex === video.index).map((p) => p.dtsTime!);
    const steps = vdts.slice(1).map((t, i) => t - vdts[i]!);
    expect(Math.max(...steps)).toBeLessThan(0.045);
    expect(Math.min(...steps)).toBeGreaterThan(0.035);
    expect(streamOf(await ffprobe(second), 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
  });

  it('serves /cam1../camN from one clip, video only when the clip has no audio', async () => {
    const clip = await ensureClip({ width: 320, height: 240, seconds: 2, bitrateKbps: 300, audio: false, name: 'mute' });
    const server = await serve({ count: 2, clip });
    const outs = [join(dir, 'n1.ts'), join(dir, 'n2.ts')];
    await Promise.all([recordRtsp(server.url('cam1'), outs[0]!, { seconds: 2 }), recordRtsp(server.url('cam2'), outs[1]!, { seconds: 2, transport: 'udp' })]);
    for (const out of outs) {
      const probe = await ffprobe(out);
      expect(streamOf(probe, 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
      expect(streamOf(probe, 'audio')).toBeUndefined();
    }
    const missing = await run(FFPROBE_BIN, ['-v', 'error', '-rtsp_transport', 'tcp', server.url('cam3')], {
      timeoutMs: 15_000,
    });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/404/);
  });

  it('can be stopped under a connected client and started again on the same port', async () => {
    const clip = await ensureClip({ width: 640, height: 360, seconds: 3, bitrateKbps: 800 });
    const port = await freePort();
    const first = await serve({ mounts: { cam1: clip } }, port);
    expect(first.port).toBe(port);

    // a recorder is connected when the camera goes away: ffmpeg sees the connection close and ends
    const before = join(dir, 'before.ts');
    const recording = run(FFMPEG_BIN, ['-nostdin', '-v', 'error', '-y', '-rtsp_transport', 'tcp', '-i', first.url('cam1'), '-c', 'copy', before], {
      timeoutMs: 30_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await first.stop();
    await first.stop(); // idempotent
    const rec = await recording;
    expect(rec.timedOut).toBe(false);
    expect(streamOf(await ffprobe(before), 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });

    const down = await run(FFPROBE_BIN, ['-v', 'error', '-rtsp_transport', 'tcp', '-timeout', '2000000', first.url('cam1')], { timeoutMs: 15_000 });
    expect(down.code).not.toBe(0);

    // back on the same port right away, although the old server's connection may be in TIME_WAIT
    const second = await serve({ mounts: { cam1: clip } }, port);
    expect(second.port).toBe(port);
    expect(second.pid).not.toBe(first.pid);
    const after = join(dir, 'after.ts');
    await recordRtsp(second.url('cam1'), after, { seconds: 2 });
    expect(streamOf(await ffprobe(after), 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
  });

  it('reports why it could not start', async () => {
    await expect(startRtspServer({ mounts: { cam1: join(dir, 'no-such-clip.mp4') } })).rejects.toThrow(/exited before READY[\s\S]*clip not found/);
    const clip = await ensureClip({ width: 640, height: 360, seconds: 3, bitrateKbps: 800 });
    const busy = await serve({ count: 1, clip });
    await expect(startRtspServer({ count: 1, clip }, busy.port)).rejects.toThrow(/cannot listen/);
  });
});

describe('rtsp_server.py over the field shapes', () => {
  // One server for the whole matrix: every shape is a mount of it, 4 s clips so that a 7 s recording crosses a loop.
  const CLIP_SECONDS = 4;
  const RECORD_SECONDS = 7;
  let server: RtspServer;

  beforeAll(async () => {
    const mounts: Record<string, string> = {};
    for (const shape of FIELD_SHAPE_NAMES) mounts[shape] = await fieldClip(shape, CLIP_SECONDS);
    server = await startRtspServer({ mounts });
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  function expected(shape: FieldShape) {
    const o: ClipOptions = FIELD_SHAPES[shape];
    const audio = o.audio === 'alaw' ? 'pcm_alaw' : o.audio === 'mulaw' ? 'pcm_mulaw' : o.audio ? 'aac' : undefined;
    const frameS = 1 / (o.fps ?? 25);
    // one RTP packet per AAC frame (1024 samples at 16 kHz); G.711 in 40 ms packets
    const audioPacketS = audio === 'aac' ? 1024 / 16_000 : 0.04;
    return { video: o.codec === 'h265' ? 'hevc' : 'h264', bframes: (o.bframes ?? 0) > 0, audio, width: o.width, height: o.height, frameS, audioPacketS };
  }

  /** The audio packets of the first `seconds` of an RTSP stream, as ffprobe reads them live. */
  async function liveAudioPackets(url: string, seconds: number): Promise<Array<{ ptsTime: number | null }>> {
    const res = await run(
      FFPROBE_BIN,
      [
        '-v',
        'error',
        '-rtsp_transport',
        'tcp',
        '-read_intervals',
        `%+${seconds}`,
        '-select_streams',
        'a',
        '-show_entries',
        'packet=pts_time',
        '-of',
        'json',
        url,
      ],
      { timeoutMs: seconds * 1000 + 30_000 },
    );
    if (res.code !== 0) throw new Error(`ffprobe -show_packets ${url} failed: ${res.stderr.trim()}`);
    const packets = (JSON.parse(res.stdout) as { packets?: Array<{ pts_time?: string }> }).packets ?? [];
    return packets.map((p) => ({ ptsTime: p.pts_time === undefined ? null : Number(p.pts_time) }));
  }

  it.concurrent.each(FIELD_SHAPE_NAMES)(
    'serves %s with its codecs, looping with increasing timestamps',
    async (shape) => {
      const want = expected(shape);
      const url = server.url(shape);

      // Each keyframe's parameter sets travel together in one RTP packet (STAP-A / AP): the clients of a shared mount join
      // its stream at any packet, and sent one per packet, a recorder joining between the SPS and the PPS recorded a PPS
      // first (the recording then did not decode cleanly: "sps_id 0 out of range"). Read up to the second keyframe.
      const rtp = await readVideoRtp(url, 15, (codec, packets) => packets.filter((p) => startsKeyframe(codec, p)).length >= 2);
      expect(rtp.codec).toBe(want.video === 'hevc' ? 'h265' : 'h264');
      expect(rtp.packets.filter((p) => startsKeyframe(rtp.codec, p)).length, `keyframes in ${rtp.packets.length} RTP packets (${rtp.about})`).toBe(2);
      const sets = PARAMETER_SETS[rtp.codec];
      const withSets = rtp.packets.filter((p) => p.nalTypes.some((t) => sets.includes(t)));
      expect(withSets.length, 'keyframes with their parameter sets').toBeGreaterThanOrEqual(2);
      for (const p of withSets) expect(p.nalTypes, 'all parameter sets in one packet').toEqual(expect.arrayContaining([...sets]));

      const live = await ffprobe(url, { timeoutMs: 30_000 });
      const video = streamOf(live, 'video');
      expect(video).toMatchObject({ codec_name: want.video, width: want.width, height: want.height });
      if (want.bframes) expect(video?.has_b_frames).toBeGreaterThan(0);
      else expect(video?.has_b_frames).toBe(0);
      expect(streamOf(live, 'audio')?.codec_name).toBe(want.audio);
      if (want.audio?.startsWith('pcm_')) expect(streamOf(live, 'audio')).toMatchObject({ sample_rate: '8000', channels: 1 });

      // 7 s of stream, copied as a recorder would, across the loop boundary at 4 s; meanwhile a second client reads the
      // audio packets as they arrive (MPEG-TS keeps G.711 only as opaque data)
      const out = join(dir, `shape-${shape}.ts`);
      const [rec, audioPackets] = await Promise.all([
        recordRtsp(url, out, { seconds: RECORD_SECONDS, format: 'mpegts', timeoutMs: 60_000 }),
        want.audio ? liveAudioPackets(url, RECORD_SECONDS) : Promise.resolve([]),
      ]);
      if (want.audio) {
        const pts = audioPackets.map((p) => p.ptsTime);
        expect(
          pts.every((t) => t !== null),
          'audio PTS all set',
        ).toBe(true);
        const steps = pts.slice(1).map((t, i) => t! - pts[i]!);
        expect(pts[pts.length - 1]! - pts[0]!).toBeGreaterThan(RECORD_SECONDS - 2);
        // no overlap; at the loop boundary a gap shorter than one packet where the audio does not fill the loop
        // (AAC: 62 frames of 64 ms in a 4 s loop)
        expect(Math.min(...steps), 'audio packets do not overlap').toBeGreaterThan(want.audioPacketS * 0.9);
        expect(Math.max(...steps), 'audio gap shorter than a packet').toBeLessThan(want.audioPacketS * 2);
        const gaps = steps.filter((d) => d > want.audioPacketS * 1.1);
        expect(gaps.length, 'audio gaps only at loop boundaries').toBeLessThanOrEqual(2);
      }
      expect(rec.elapsedMs).toBeGreaterThan((RECORD_SECONDS - 1.5) * 1000); // real time, not as fast as possible
      const probe = await ffprobe(out);
      expect(Number(probe.format.duration)).toBeGreaterThanOrEqual(RECORD_SECONDS - 2);
      const packets = await probePackets(out);
      const recorded = streamOf(probe, 'video')!;
      expect(recorded.codec_name).toBe(want.video);
      const streams = [recorded, ...probe.streams.filter((s) => s.codec_type === 'audio')];
      for (const stream of streams) {
        const dts = packets.filter((p) => p.streamIndex === stream.index).map((p) => p.dtsTime);
        expect(dts.length, `${stream.codec_name} packets`).toBeGreaterThan(10);
        expect(
          dts.every((t) => t !== null),
          `${stream.codec_name} DTS all set`,
        ).toBe(true);
        const backwards = dts.flatMap((t, i) => (i > 0 && t! <= dts[i - 1]! ? [`${dts[i - 1]} -> ${t}`] : []));
        expect(backwards, `${stream.codec_name} DTS strictly increasing`).toEqual([]);
        expect(dts[dts.length - 1]! - dts[0]!).toBeGreaterThan(RECORD_SECONDS - 2);
      }
      // one frame after another at the clip's rate, across the loop boundary too (no frame lost, repeated or rewound);
      // ffmpeg guesses the DTS of the first packets of a stream with B-frames, so they are left out
      const vdts = packets
        .filter((p) => p.streamIndex === recorded.index)
        .map((p) => p.dtsTime!)
        .slice(3);
      const steps = vdts.slice(1).map((t, i) => t - vdts[i]!);
      expect(Math.max(...steps)).toBeLessThan(want.frameS * 1.1);
      expect(Math.min(...steps)).toBeGreaterThan(want.frameS * 0.9);
      // whatever the shape, the picture decodes cleanly across the loop (a rewind or a broken GOP would show here)
      const decode = await run(FFMPEG_BIN, ['-nostdin', '-v', 'error', '-i', out, '-f', 'null', '-'], { timeoutMs: 60_000 });
      expect(decode.stderr.trim()).toBe('');
      expect(decode.code).toBe(0);
    },
    120_000,
  );
});
