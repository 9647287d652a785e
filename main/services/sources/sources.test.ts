// sourceFor: a camera's URL with its credentials (password listed as a secret, never described), a unit's hub stream only while it publishes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaHub, type MediaHub } from '../../../media/hub';
import { SourceUnavailable } from '../../../media/stream-source';
import type { CameraRow } from '../../../storage/repositories';
import { ensureClip } from '../../../test/helpers/clips';
import { waitFor } from '../../../test/helpers/media-assert';
import { publishRtmp } from '../../../test/helpers/rtmp';
import { sourceFor } from '.';

let hub: MediaHub;
beforeAll(async () => {
  hub = createMediaHub({ port: 0, host: '127.0.0.1', log: () => undefined });
  await hub.start();
});
afterAll(async () => {
  await hub?.close();
});

const camera = (over: Partial<CameraRow> = {}): CameraRow => ({
  id: 3,
  kind: 'rtsp',
  name: 'Gate',
  url: 'rtsp://10.1.2.3:554/ch1',
  subUrl: 'rtsp://10.1.2.3:554/ch2',
  username: 'admin',
  password: 'p@ss word',
  transport: 'udp',
  enabled: true,
  segmentSeconds: 60,
  retentionDays: 30,
  groupName: null,
  description: null,
  createdMs: 0,
  updatedMs: 0,
  ...over,
});

describe('sourceFor', () => {
  it('gives a camera its URL with the credentials put back in, the password as a secret, a description without them', async () => {
    const main = sourceFor(camera(), 'main', { hub })!;
    expect(main).toMatchObject({ channelId: 3, stream: 'main' });
    expect(main.describe()).toBe('rtsp://10.1.2.3:554/ch1');
    const input = await main.open(new AbortController().signal);
    expect(input).toEqual({ kind: 'url', url: 'rtsp://admin:p%40ss%20word@10.1.2.3:554/ch1', rtspTransport: 'udp', secrets: ['p@ss word'] });
    main.release();
    const sub = sourceFor(camera(), 'sub', { hub })!;
    expect(await sub.open(new AbortController().signal)).toMatchObject({ url: 'rtsp://admin:p%40ss%20word@10.1.2.3:554/ch2' });
    expect(sourceFor(camera({ subUrl: null }), 'sub', { hub })).toBeNull();
    const open = await sourceFor(camera({ username: null, password: null }), 'main', { hub })!.open(new AbortController().signal);
    expect(open).toMatchObject({ url: 'rtsp://10.1.2.3:554/ch1', secrets: [] });
  });

  it('gives a unit the hub stream while it publishes, by a one-time URL per run (never the hub secret); otherwise status.not_publishing', async () => {
    const unit = camera({ id: 9, kind: 'uplink', url: '', subUrl: null, username: null, password: null });
    const src = sourceFor(unit, 'main', { hub })!;
    expect(src.describe()).toBe('hub /live/9');
    expect(sourceFor(unit, 'sub', { hub })).toBeNull();
    const err = await src.open(new AbortController().signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceUnavailable);
    expect((err as SourceUnavailable).reason.code).toBe('status.not_publishing');
    expect((err as SourceUnavailable).permanent).toBe(false);
    const pub = publishRtmp(hub.internalUrl('live', '9'), await ensureClip({ width: 320, height: 180, fps: 10, seconds: 4, bitrateKbps: 120, audio: false }), {
      loop: true,
    });
    try {
      await waitFor(() => hub.isLive('/live/9'), 'unit publishes', 20_000);
      const input = await src.open(new AbortController().signal);
      if (input.kind !== 'url') throw new Error('expected a url input');
      // A one-time URL: not the hub's internal secret, a token good for one play of this path only.
      const u = new URL(input.url);
      expect(`${u.protocol}//${u.host}${u.pathname}`).toBe(hub.internalUrlFor('/live/9').split('?')[0]);
      expect(u.searchParams.get('secret')).toBeNull();
      expect(u.searchParams.get('once')).toMatch(/^[\w-]{24}$/);
      expect(input.url).not.toContain(new URL(hub.internalUrlFor('/live/9')).searchParams.get('secret')!);
      const again = await src.open(new AbortController().signal);
      expect(again.kind === 'url' && again.url).not.toBe(input.url); // one per run
      expect(input.rtspTransport).toBeNull();
      src.release();
    } finally {
      await pub.kill();
    }
    const none = sourceFor(unit, 'main', { hub: null })!;
    await expect(none.open(new AbortController().signal)).rejects.toBeInstanceOf(SourceUnavailable);
  }, 60_000);
});
