// The GStreamer RTMP publisher (rtmp2sink) against Argus's own media hub: accepted, codecs as asked, stopped cleanly.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMediaHub, type MediaHub, type PublishInfo, type ViewerSink } from '../../media/hub';
import { FFMPEG_BIN, ffprobe, probePackets, run } from './ffmpeg';
import { waitFor } from '../harness';
import { publishRtmpGst, type Publisher } from './rtmp';

let dir: string;
let hub: MediaHub | null = null;
const publishers: Publisher[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'argus-rtmp-gst-'));
});
afterEach(async () => {
  await Promise.all(publishers.splice(0).map((p) => p.kill()));
  await hub?.close();
  hub = null;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function startHub(): Promise<{ hub: MediaHub; port: number; published: PublishInfo[]; done: PublishInfo[] }> {
  const published: PublishInfo[] = [];
  const done: PublishInfo[] = [];
  const h = createMediaHub({
    port: 0,
    host: '127.0.0.1',
    log: () => {},
    onPrePublish: (r) => (r.internal || (r.app === 'live' && r.query.key === 'good') ? { allow: true } : { allow: false, reason: 'bad key' }),
    onPublish: (i) => published.push(i),
    onDonePublish: (i) => done.push(i),
  });
  hub = h;
  const port = await h.start();
  return { hub: h, port, published, done };
}

function publish(...args: Parameters<typeof publishRtmpGst>): Publisher {
  const p = publishRtmpGst(...args);
  publishers.push(p);
  return p;
}

/** An HTTP-FLV-like viewer of the hub that keeps its bytes in memory. */
function memorySink(): ViewerSink & { bytes(): Buffer } {
  const chunks: Buffer[] = [];
  return {
    write: (b: Buffer) => void chunks.push(Buffer.from(b)),
    bufferedBytes: () => 0,
    end: () => {},
    destroy: () => {},
    bytes: () => Buffer.concat(chunks),
  };
}

describe('publishRtmpGst (GStreamer rtmp2sink)', () => {
  it.each([
    { name: 'test picture with a tone', audio: true },
    { name: 'silent test picture', audio: false },
  ])(
    'publishes a $name into the hub, which plays it back with the expected codecs',
    async ({ audio }) => {
      const { hub: h, port, published, done } = await startHub();
      const pub = publish(`rtmp://127.0.0.1:${port}/live/gst1?key=good`, { audio });
      await waitFor(() => published.length === 1 || pub.proc.exitCode !== null, { what: 'publish accepted', timeoutMs: 15_000 });
      expect(pub.stderr()).toBe('');
      expect(published[0]).toMatchObject({ streamPath: '/live/gst1', remoteAddress: '127.0.0.1', internal: false });

      // read back over RTMP as Argus's recorder does (internal URL)
      const probe = await ffprobe(h.internalUrl('live', 'gst1'), { timeoutMs: 20_000 });
      expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
      expect(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe(audio ? 'aac' : undefined);

      // and as an FLV viewer (the live wall's path): 3 s of bytes that decode cleanly, at the publisher's pace
      const sink = memorySink();
      const viewer = h.attachViewer('/live/gst1', sink, '127.0.0.1');
      expect(viewer).not.toBeNull();
      await new Promise((r) => setTimeout(r, 3_000));
      viewer!.detach();
      const file = join(dir, `viewer-${audio}.flv`);
      await writeFile(file, sink.bytes());
      const flv = await ffprobe(file);
      const video = flv.streams.find((s) => s.codec_type === 'video')!;
      expect(video).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
      expect(flv.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe(audio ? 'aac' : undefined);
      const frames = (await probePackets(file)).filter((p) => p.streamIndex === video.index);
      expect(frames.length).toBeGreaterThan(30); // 15 fps for 3 s, plus the cached GOP
      const decode = await run(FFMPEG_BIN, ['-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-'], { timeoutMs: 30_000 });
      expect(decode.stderr.trim()).toBe('');
      expect(decode.code).toBe(0);

      // killing the publisher (a dropped link) ends the publish on the hub
      await pub.kill();
      expect(pub.proc.signalCode).toBe('SIGKILL');
      await waitFor(() => done.length === 1, { what: 'publish ended', timeoutMs: 15_000 });
      expect(h.isLive('/live/gst1')).toBe(false);
    },
    60_000,
  );

  it('exits with an error when the hub refuses it', async () => {
    const { port, published } = await startHub();
    const pub = publish(`rtmp://127.0.0.1:${port}/live/gst2?key=wrong`, { audio: false });
    const code = await Promise.race([pub.exited, new Promise((r) => setTimeout(() => r('running'), 15_000))]);
    expect(code).not.toBe('running');
    expect(code).not.toBe(0);
    expect(published).toEqual([]);
  }, 30_000);
});
