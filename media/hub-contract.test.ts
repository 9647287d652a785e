// The MediaHub contract, through the interface only, against the real hub and a real RTMP publisher (ffmpeg): what main/ relies on.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureClip } from '../test/helpers/clips';
import { waitFor } from '../test/helpers/media-assert';
import { publishRtmp, type Publisher } from '../test/helpers/rtmp';
import {
  createMediaHub,
  unitStreamPath,
  type DonePublishReason,
  type HubOptions,
  type MediaHub,
  type PublishInfo,
  type StreamRequest,
  type ViewerSink,
} from './hub';

/** The contract every MediaHub implementation keeps; `make` builds one listening on 127.0.0.1. */
function mediaHubContract(name: string, make: (opts: HubOptions) => MediaHub): void {
  describe(`MediaHub contract: ${name}`, () => {
    let clip: string;
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

    function sink(): ViewerSink & { bytes: number; ended: boolean } {
      const s = {
        bytes: 0,
        ended: false,
        write: (b: Buffer) => void (s.bytes += b.length),
        bufferedBytes: () => 0,
        end: () => void (s.ended = true),
        destroy: () => undefined,
      };
      return s;
    }

    async function started(over: Partial<HubOptions> = {}) {
      const seen = { requests: [] as StreamRequest[], published: [] as PublishInfo[], done: [] as Array<{ info: PublishInfo; reason: DonePublishReason }> };
      const h = make({
        port: 0,
        host: '127.0.0.1',
        log: () => undefined,
        onPrePublish: (r) => (seen.requests.push(r), r.query.key === 'k1' ? { allow: true } : { allow: false, reason: 'bad key' }),
        onPublish: (i) => seen.published.push(i),
        onDonePublish: (info, reason) => seen.done.push({ info, reason }),
        ...over,
      });
      hub = h;
      expect(h.listening).toBe(false);
      expect(h.port).toBeNull();
      const port = await h.start();
      return { h, port, seen };
    }

    function publish(url: string): Publisher {
      const p = publishRtmp(url, clip, { loop: true });
      publishers.push(p);
      return p;
    }

    it('start/close, internal URLs, the publish decision, stream lookup, tracks, viewers and kick', async () => {
      const { h, port, seen } = await started();
      expect(h.listening).toBe(true);
      expect(h.port).toBe(port);
      const path = unitStreamPath(12);
      expect(h.internalUrlFor(path)).toBe(h.internalUrl('live', '12'));
      expect(h.internalUrl('live', '12')).toMatch(new RegExp(`^rtmp://127\\.0\\.0\\.1:${port}/live/12\\?secret=.+`));
      expect(() => h.internalUrlFor('not-a-path')).toThrow();

      // Refused by the decision hook: never live.
      const bad = publish(`rtmp://127.0.0.1:${port}${path}?key=nope`);
      await bad.exited;
      expect(h.isLive(path)).toBe(false);
      expect(h.publisher(path)).toBeNull();
      expect(h.streamTracks(path)).toBeNull();

      // Accepted: the hook saw the request; live, its publisher, its codecs.
      publish(`rtmp://127.0.0.1:${port}${path}?key=k1`);
      await waitFor(() => seen.published.length === 1, 'publish accepted', 15_000);
      expect(seen.requests.at(-1)).toMatchObject({
        streamPath: path,
        app: 'live',
        name: '12',
        query: { key: 'k1' },
        remoteAddress: '127.0.0.1',
        internal: false,
      });
      expect(h.isLive(path)).toBe(true);
      await waitFor(() => (h.publisher(path)?.inBytes ?? 0) > 10_000, 'media flowing', 15_000);
      expect(h.publisher(path)).toMatchObject({ streamPath: path, sessionId: seen.published[0].sessionId, internal: false });
      await waitFor(() => h.streamTracks(path)?.video && h.streamTracks(path)?.audio, 'tracks known', 15_000);
      expect(h.streamTracks(path)).toMatchObject({ video: 'h264', audio: 'aac' });

      // Viewers: none for a path that is not live; one attached, counted, receiving bytes; detach is idempotent.
      expect(h.attachViewer('/live/99', sink(), '127.0.0.1')).toBeNull();
      const s1 = sink();
      const v1 = h.attachViewer(path, s1, '127.0.0.1');
      expect(v1?.streamPath).toBe(path);
      expect(s1.bytes).toBeGreaterThan(0);
      expect(h.viewerCount(path)).toBe(1);
      v1!.detach();
      v1!.detach();
      expect(h.viewerCount(path)).toBe(0);
      const s2 = sink();
      h.attachViewer(path, s2, '127.0.0.1');
      expect(h.viewerCount()).toBe(1);

      // Kick: the publish ends (done hook first, 'kicked'), its viewers are ended, the path is no longer live.
      expect(h.kick('/live/99')).toBe(false);
      expect(h.kick(path)).toBe(true);
      expect(seen.done).toEqual([{ info: seen.published[0], reason: 'kicked' }]);
      expect(s2.ended).toBe(true);
      expect(h.viewerCount()).toBe(0);
      expect(h.isLive(path)).toBe(false);

      await h.close();
      expect(h.listening).toBe(false);
      expect(h.port).toBeNull();
      expect(h.attachViewer(path, sink(), '127.0.0.1')).toBeNull();
    });

    it('close() ends every publish with hub-closed and ends its viewers', async () => {
      const { h, port, seen } = await started();
      const path = unitStreamPath(4);
      publish(`rtmp://127.0.0.1:${port}${path}?key=k1`);
      await waitFor(() => seen.published.length === 1, 'publish accepted', 15_000);
      const s = sink();
      expect(h.attachViewer(path, s, '127.0.0.1')).not.toBeNull();
      await h.close();
      expect(seen.done).toEqual([{ info: seen.published[0], reason: 'hub-closed' }]);
      expect(s.ended).toBe(true);
      expect(h.isLive(path)).toBe(false);
    });
  });
}

mediaHubContract('node-media-server RTMP hub', createMediaHub);
