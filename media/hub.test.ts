// MediaHub against real ffmpeg publishers and players: decisions, replacement, FLV viewers, pre-roll, abuse, close.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureClip, fieldClip, type FieldShape } from '../test/helpers/clips';
import { ffprobe, run } from '../test/helpers/ffmpeg';
import { waitFor } from '../test/helpers/media-assert';
import { publishEnhancedHevc } from '../test/helpers/enhanced-rtmp';
import { publishRtmp, type Publisher } from '../test/helpers/rtmp';
import { createMediaHub, type MediaHub, type DonePublishReason, type HubOptions, type PublishInfo, type StreamRequest, type ViewerSink } from './hub';

let clip: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-hub-'));
let hub: MediaHub | null = null;
const publishers: Publisher[] = [];

beforeAll(async () => {
  clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: true });
});
afterEach(async () => {
  for (const p of publishers.splice(0)) await p.kill();
  await hub?.close();
  hub = null;
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Recorded {
  requests: StreamRequest[];
  published: PublishInfo[];
  done: Array<{ info: PublishInfo; reason: DonePublishReason }>;
  logs: string[];
}

async function startHub(over: Partial<HubOptions> = {}): Promise<{ hub: MediaHub; port: number; rec: Recorded }> {
  const rec: Recorded = { requests: [], published: [], done: [], logs: [] };
  const h = createMediaHub({
    port: 0,
    host: '127.0.0.1',
    log: (m) => rec.logs.push(m),
    onPrePublish: (r) => {
      rec.requests.push(r);
      if (r.internal) return { allow: true };
      return r.app === 'live' && r.query.key === 'good' ? { allow: true } : { allow: false, reason: 'bad key' };
    },
    onPublish: (i) => rec.published.push(i),
    onDonePublish: (info, reason) => rec.done.push({ info, reason }),
    ...over,
  });
  hub = h;
  const port = await h.start();
  return { hub: h, port, rec };
}

function publish(url: string, loop = true): Publisher {
  const p = publishRtmp(url, clip, { loop });
  publishers.push(p);
  return p;
}

/** A viewer that keeps its bytes in memory. */
function memorySink(): ViewerSink & { chunks: Buffer[]; ended: boolean; destroyed: boolean; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  const sink = {
    chunks,
    ended: false,
    destroyed: false,
    write: (b: Buffer) => void chunks.push(Buffer.from(b)),
    bufferedBytes: () => 0,
    end: () => void (sink.ended = true),
    destroy: () => void (sink.destroyed = true),
    bytes: () => Buffer.concat(chunks),
  };
  return sink;
}

describe('MediaHub', () => {
  it('listens only on the configured address and accepts a publisher the callback allows', async () => {
    const { hub: h, port, rec } = await startHub();
    expect(h.listening).toBe(true);
    expect(port).toBeGreaterThan(0);
    publish(`rtmp://127.0.0.1:${port}/live/7?key=good`);
    await waitFor(() => rec.published.length === 1, 'publish accepted', 10_000);
    expect(rec.requests[0]).toMatchObject({
      streamPath: '/live/7',
      app: 'live',
      name: '7',
      query: { key: 'good' },
      remoteAddress: '127.0.0.1',
      internal: false,
    });
    expect(rec.published[0]).toMatchObject({ streamPath: '/live/7', remoteAddress: '127.0.0.1', internal: false });
    expect(h.isLive('/live/7')).toBe(true);
    await waitFor(() => (h.publisher('/live/7')?.inBytes ?? 0) > 10_000, 'media flowing', 10_000);
    // Bound to 127.0.0.1 only: another local address of this host is refused.
    const other = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (other) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = net.connect({ host: other.address, port }, () => (s.destroy(), resolve(false)));
        s.on('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    }
  });

  it('refuses a publisher the callback rejects: ffmpeg fails, nothing is published', async () => {
    const { hub: h, port, rec } = await startHub();
    const p = publish(`rtmp://127.0.0.1:${port}/live/7?key=wrong`);
    const code = await Promise.race([p.exited, new Promise((r) => setTimeout(() => r('running'), 8000))]);
    expect(code).not.toBe('running');
    expect(code).not.toBe(0);
    expect(rec.published).toEqual([]);
    expect(h.isLive('/live/7')).toBe(false);
    expect(rec.logs.some((l) => l.includes('publish /live/7 from 127.0.0.1 refused: bad key'))).toBe(true);
  });

  it('gives an FLV viewer the header, codec headers and a keyframe at once; the bytes decode as H.264', async () => {
    const { hub: h, port, rec } = await startHub();
    publish(`rtmp://127.0.0.1:${port}/live/3?key=good`);
    await waitFor(() => rec.published.length === 1, 'publish', 10_000);
    await new Promise((r) => setTimeout(r, 1500)); // mid-GOP
    expect(h.attachViewer('/live/99', memorySink(), '127.0.0.1')).toBeNull();
    const sink = memorySink();
    const viewer = h.attachViewer('/live/3', sink, '127.0.0.1');
    expect(viewer).not.toBeNull();
    // Synchronously: FLV header, metadata and codec headers, then the cached GOP from its keyframe.
    const first = sink.bytes();
    expect(first.subarray(0, 3).toString()).toBe('FLV');
    expect(first.length).toBeGreaterThan(2000);
    await new Promise((r) => setTimeout(r, 2500));
    viewer!.detach();
    const file = path.join(tmp, 'viewer.flv');
    fs.writeFileSync(file, sink.bytes());
    const p = await ffprobe(file);
    expect(p.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(p.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
    const dec = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
    expect(dec.code).toBe(0);
    expect(dec.stderr).toBe('');
    expect(h.viewerCount('/live/3')).toBe(0);
  });

  // A viewer's FLV header must announce exactly the tracks it will get (mpegts.js waits for audio the header announces),
  // and audio the console cannot decode (G.711) is left out rather than failing the picture with it.
  const VIEWER_SHAPES: Array<{ shape: FieldShape; flags: number; audio: string | null; viewerAudio: string | undefined }> = [
    { shape: 'h264-aac', flags: 0x05, audio: 'aac', viewerAudio: 'aac' },
    { shape: 'h264-silent', flags: 0x01, audio: null, viewerAudio: undefined },
    { shape: 'h264-g711a', flags: 0x01, audio: 'pcm_alaw', viewerAudio: undefined },
    { shape: 'h264-g711u', flags: 0x01, audio: 'pcm_mulaw', viewerAudio: undefined },
  ];
  it.each(VIEWER_SHAPES)(
    'gives a viewer of a $shape stream an FLV header and tags that match what it can play',
    async ({ shape, flags, audio, viewerAudio }) => {
      const { hub: h, port, rec } = await startHub();
      const p = publishRtmp(`rtmp://127.0.0.1:${port}/live/21?key=good`, await fieldClip(shape, 4), { loop: true });
      publishers.push(p);
      await waitFor(() => rec.published.length === 1, 'publish', 10_000);
      await waitFor(
        () => {
          const t = h.streamTracks('/live/21');
          return t !== null && t.video !== null && (audio === null || t.audio !== null);
        },
        'tracks seen',
        10_000,
      );
      expect(h.streamTracks('/live/21')).toEqual({ video: 'h264', audio });
      const sink = memorySink();
      const viewer = h.attachViewer('/live/21', sink, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 2000));
      viewer!.detach();
      const bytes = sink.bytes();
      expect(bytes.subarray(0, 3).toString()).toBe('FLV');
      expect(bytes[4], 'FLV header flags (4 audio, 1 video)').toBe(flags);
      const file = path.join(tmp, `viewer-${shape}.flv`);
      fs.writeFileSync(file, bytes);
      const probed = await ffprobe(file);
      expect(probed.streams.find((s) => s.codec_type === 'video')?.codec_name).toBe('h264');
      expect(probed.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe(viewerAudio);
    },
  );

  it('accepts H.265 over Enhanced RTMP (FourCC hvc1) and names its codec; viewers get it as it is, video only', async () => {
    const { hub: h, port, rec } = await startHub();
    const p = publishEnhancedHevc(`rtmp://127.0.0.1:${port}/live/22?key=good`, await fieldClip('h265-silent', 4));
    try {
      await waitFor(() => rec.published.length === 1 && h.streamTracks('/live/22')?.video != null, 'E-RTMP publish', 10_000);
      expect(h.streamTracks('/live/22')).toEqual({ video: 'hevc', audio: null });
      const sink = memorySink();
      const viewer = h.attachViewer('/live/22', sink, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 1500));
      viewer!.detach();
      const bytes = sink.bytes();
      expect(bytes[4]).toBe(0x01);
      // The first video tag is the Enhanced-RTMP sequence start: ExHeader bit, FourCC hvc1.
      const firstVideo = bytes.indexOf(Buffer.from('hvc1'));
      expect(firstVideo).toBeGreaterThan(13);
      expect(bytes[firstVideo - 1] & 0x80).toBe(0x80);
      // And it is real H.265: the tags turned back into Annex B decode without error.
      const annexB = path.join(tmp, 'ertmp.hevc');
      fs.writeFileSync(annexB, ertmpToAnnexB(bytes));
      const dec = await run('ffmpeg', ['-v', 'error', '-f', 'hevc', '-i', annexB, '-f', 'null', '-']);
      expect(dec.code, dec.stderr).toBe(0);
      expect(dec.stderr).toBe('');
      expect((await ffprobe(annexB)).streams[0]).toMatchObject({ codec_name: 'hevc', width: 640, height: 360 });
    } finally {
      await p.stop();
    }
  });

  it('lets only internal consumers play over RTMP', async () => {
    const { hub: h, port, rec } = await startHub();
    publish(`rtmp://127.0.0.1:${port}/live/4?key=good`);
    await waitFor(() => rec.published.length === 1, 'publish', 10_000);
    const outside = await run(
      'ffmpeg',
      ['-nostdin', '-v', 'error', '-rw_timeout', '5000000', '-i', `rtmp://127.0.0.1:${port}/live/4`, '-t', '1', '-c', 'copy', '-f', 'null', '-'],
      { timeoutMs: 15_000 },
    );
    expect(outside.code).not.toBe(0);
    expect(rec.logs.some((l) => l.includes('play /live/4 from 127.0.0.1 refused'))).toBe(true);
    const out = path.join(tmp, 'internal.flv');
    const inside = await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', h.internalUrlFor('/live/4'), '-t', '2', '-c', 'copy', '-f', 'flv', out], {
      timeoutMs: 20_000,
    });
    expect(inside.code, inside.stderr).toBe(0);
    expect((await ffprobe(out)).streams.some((s) => s.codec_name === 'h264')).toBe(true);
  });

  it('takes a one-time URL once, for its own stream path only (what ps showed of it is dead)', async () => {
    const { hub: h, port, rec } = await startHub();
    publish(`rtmp://127.0.0.1:${port}/live/14?key=good`);
    await waitFor(() => rec.published.length === 1, 'publish', 10_000);
    const play = (url: string, out: string) =>
      run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-rw_timeout', '5000000', '-i', url, '-t', '1', '-c', 'copy', '-f', 'flv', out], { timeoutMs: 20_000 });
    const once = h.onceUrlFor('/live/14');
    expect(once).toMatch(/\?once=[\w-]+$/);
    expect(once).not.toContain(new URL(h.internalUrlFor('/live/14')).searchParams.get('secret')!);
    const first = await play(once, path.join(tmp, 'once-1.flv'));
    expect(first.code, first.stderr).toBe(0);
    expect((await ffprobe(path.join(tmp, 'once-1.flv'))).streams.some((s) => s.codec_name === 'h264')).toBe(true);
    const replay = await play(once, path.join(tmp, 'once-2.flv'));
    expect(replay.code).not.toBe(0); // used up
    const elsewhere = h.onceUrlFor('/live/99').replace('/live/99', '/live/14');
    expect((await play(elsewhere, path.join(tmp, 'once-3.flv'))).code).not.toBe(0); // another path's token
    expect(rec.logs.filter((l) => l.includes('play /live/14 from 127.0.0.1 refused')).length).toBe(2);
  });

  it('replaces the publisher when the same stream is published again, and ends the old publish first', async () => {
    const { hub: h, port, rec } = await startHub();
    const first = publish(`rtmp://127.0.0.1:${port}/live/5?key=good`);
    await waitFor(() => rec.published.length === 1, 'first publish', 10_000);
    const sink = memorySink();
    h.attachViewer('/live/5', sink, '127.0.0.1');
    const second = publish(`rtmp://127.0.0.1:${port}/live/5?key=good`);
    await waitFor(() => rec.published.length === 2, 'second publish', 10_000);
    expect(rec.done).toEqual([{ info: rec.published[0], reason: 'replaced' }]);
    expect(sink.ended).toBe(true); // viewers of the old publish are disconnected
    await Promise.race([first.exited, new Promise((r) => setTimeout(r, 10_000))]);
    expect(first.proc.exitCode ?? first.proc.signalCode).not.toBeNull();
    expect(h.publisher('/live/5')?.sessionId).toBe(rec.published[1].sessionId);
    await waitFor(() => (h.publisher('/live/5')?.inBytes ?? 0) > 10_000, 'second publisher streaming', 10_000);
    expect(second.proc.exitCode).toBeNull();
  });

  it('ends the publish when the publisher drops, disconnecting players and viewers', async () => {
    const { hub: h, port, rec } = await startHub();
    const p = publish(`rtmp://127.0.0.1:${port}/live/6?key=good`);
    await waitFor(() => rec.published.length === 1, 'publish', 10_000);
    const sink = memorySink();
    h.attachViewer('/live/6', sink, '127.0.0.1');
    await p.kill();
    await waitFor(() => rec.done.length === 1, 'publish end', 5000);
    expect(rec.done[0].reason).toBe('closed');
    expect(sink.ended).toBe(true);
    expect(h.isLive('/live/6')).toBe(false);
    expect(h.viewerCount()).toBe(0);
  });

  it('gives the first internal player everything since the publish started (pre-roll), later ones the current GOP', async () => {
    const { hub: h, port, rec } = await startHub({ preRollApps: ['live'] });
    const p = publish(`rtmp://127.0.0.1:${port}/live/8?key=good`, false); // the 4 s clip once
    await waitFor(() => rec.published.length === 1, 'publish', 10_000);
    await new Promise((r) => setTimeout(r, 2500));
    const out = path.join(tmp, 'preroll.flv');
    const player = run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', h.internalUrlFor('/live/8'), '-c', 'copy', '-f', 'flv', out], { timeoutMs: 20_000 });
    await p.exited;
    await player;
    const dur = Number((await ffprobe(out)).format.duration);
    // Attached 2.5 s into a 4 s publish, it still got (nearly) all of it.
    expect(dur).toBeGreaterThan(3.5);
  });

  it('survives malformed and abusive clients and closes idle handshakes', async () => {
    const { hub: h, port, rec } = await startHub({ handshakeTimeoutMs: 1000 });
    const closedWithin = (bytes: Buffer | null, ms: number) =>
      new Promise<boolean>((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => {
          if (bytes) s.write(bytes);
        });
        const t = setTimeout(() => (s.destroy(), resolve(false)), ms);
        s.on('close', () => (clearTimeout(t), resolve(true)));
        s.on('error', () => undefined);
        s.on('data', () => undefined);
      });
    // Idle after connecting: closed by the handshake timeout.
    expect(await closedWithin(null, 4000)).toBe(true);
    // Handshake, then a chunk header announcing a 16 MB message before any publish: refused.
    const c0c1 = Buffer.concat([Buffer.from([3]), Buffer.alloc(1536)]);
    const c2 = Buffer.alloc(1536);
    const bigHeader = Buffer.from([0x03, 0, 0, 0, 0xff, 0xff, 0xf0, 0x14, 0, 0, 0, 0, 0x02, 0x00]); // + first payload bytes
    expect(await closedWithin(Buffer.concat([c0c1, c2, bigHeader]), 4000)).toBe(true);
    expect(rec.logs.some((l) => /malformed RTMP.*too large before publish/.test(l))).toBe(true);
    // Random garbage.
    expect(await closedWithin(Buffer.concat([c0c1, c2, Buffer.from('this is not rtmp at all'.repeat(50))]), 4000)).toBe(true);
    // Still serving.
    publish(`rtmp://127.0.0.1:${port}/live/9?key=good`);
    await waitFor(() => rec.published.length === 1, 'publish after abuse', 10_000);
    expect(h.isLive('/live/9')).toBe(true);
  });

  it('close() ends publishes, disconnects everyone and frees the port; one hub per process', async () => {
    const { hub: h, port, rec } = await startHub();
    await expect(createMediaHub({ port: 0, host: '127.0.0.1', log: () => undefined }).start()).rejects.toThrow(/another media hub/);
    const p = publish(`rtmp://127.0.0.1:${port}/live/2?key=good`);
    await waitFor(() => rec.published.length === 1, 'publish', 10_000);
    const sink = memorySink();
    h.attachViewer('/live/2', sink, '127.0.0.1');
    await h.close();
    hub = null;
    expect(rec.done.map((d) => d.reason)).toEqual(['hub-closed']);
    expect(sink.ended).toBe(true);
    await Promise.race([p.exited, new Promise((r) => setTimeout(r, 10_000))]);
    expect(p.proc.exitCode ?? p.proc.signalCode).not.toBeNull();
    // The port is free again and a new hub may start.
    const again = createMediaHub({ port, host: '127.0.0.1', log: () => undefined });
    expect(await again.start()).toBe(port);
    await again.close();
  });
});

/** The H.265 of an Enhanced-FLV byte stream (hvcC parameter sets, then every coded frame) as Annex B. */
function ertmpToAnnexB(flv: Buffer): Buffer {
  const start = Buffer.from([0, 0, 0, 1]);
  const out: Buffer[] = [];
  let o = 13;
  while (o + 11 <= flv.length) {
    const type = flv[o];
    const size = flv.readUIntBE(o + 1, 3);
    const body = flv.subarray(o + 11, o + 11 + size);
    o += 11 + size + 4;
    if (type !== 9 || body.length < 5 || (body[0] & 0x80) === 0 || body.toString('latin1', 1, 5) !== 'hvc1') continue;
    const packetType = body[0] & 0x0f;
    if (packetType === 0) {
      const hvcc = body.subarray(5);
      let a = 23;
      for (let i = 0; i < hvcc[22]; i++) {
        const count = hvcc.readUInt16BE(a + 1);
        a += 3;
        for (let k = 0; k < count; k++) {
          const len = hvcc.readUInt16BE(a);
          out.push(start, hvcc.subarray(a + 2, a + 2 + len));
          a += 2 + len;
        }
      }
    } else if (packetType === 1 || packetType === 3) {
      let n = packetType === 1 ? 8 : 5;
      while (n + 4 <= body.length) {
        const len = body.readUInt32BE(n);
        out.push(start, body.subarray(n + 4, n + 4 + len));
        n += 4 + len;
      }
    }
  }
  return Buffer.concat(out);
}
