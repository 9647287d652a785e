// The GB channels' StreamSource: the row's device/channel IDs, one lease per run released after it, worded refusals.
import { describe, expect, it } from 'vitest';
import { msg } from '../../../common/messages';
import { SourceUnavailable, type StreamInput } from '../../../media/stream-source';
import type { CameraRow } from '../../../storage/repositories';
import type { GbLiveStreams } from '../contracts';
import { gbTargetOf, sourceFor } from './index';

const DEV = '34020000001320000001';
const CH = '34020000001310000001';
const row = (url: string): CameraRow => ({ id: 9, kind: 'gb28181', name: 'gate', url }) as CameraRow;
const bytes = {} as never;

describe('gb28181 source', () => {
  it('reads the IDs from the row and has no sub stream', () => {
    expect(gbTargetOf(`gb28181:${DEV}/${CH}`)).toEqual({ deviceGbId: DEV, channelGbId: CH });
    expect(gbTargetOf('gb28181:/')).toBeNull();
    expect(sourceFor(row(`gb28181:${DEV}/${CH}`), 'sub', { hub: null, gb: { current: null } })).toBeNull();
    expect(sourceFor(row(`gb28181:${DEV}/${CH}`), 'main', { hub: null })?.describe()).toBe(`gb28181 INVITE ${CH}`);
  });

  it('acquires the shared stream per run and releases it after, once', async () => {
    const calls: string[] = [];
    const live: GbLiveStreams = {
      acquire: (d, c) => {
        calls.push(`acquire ${d}/${c}`);
        return Promise.resolve({ input: { kind: 'pipe', format: 'mpeg-ps', bytes } as StreamInput, release: () => calls.push('release') });
      },
    };
    const src = sourceFor(row(`gb28181:${DEV}/${CH}`), 'main', { hub: null, gb: { current: live } })!;
    expect(await src.open(new AbortController().signal)).toMatchObject({ kind: 'pipe', format: 'mpeg-ps' });
    src.release();
    src.release();
    expect(calls).toEqual([`acquire ${DEV}/${CH}`, 'release']);
  });

  it('refuses with a worded reason: GB not running (retry), a row without IDs (permanent), the stream unavailable', async () => {
    const off = sourceFor(row(`gb28181:${DEV}/${CH}`), 'main', { hub: null, gb: { current: null } })!;
    await expect(off.open(new AbortController().signal)).rejects.toMatchObject({ reason: { code: 'gb.live_off' }, permanent: false });
    const bad = sourceFor(row('gb28181:'), 'main', { hub: null, gb: { current: null } })!;
    await expect(bad.open(new AbortController().signal)).rejects.toMatchObject({ reason: { code: 'gb.no_media' }, permanent: true });
    const refusing: GbLiveStreams = { acquire: () => Promise.reject(new SourceUnavailable(msg('gb.media_timeout', { seconds: 10 }))) };
    const src = sourceFor(row(`gb28181:${DEV}/${CH}`), 'main', { hub: null, gb: { current: refusing } })!;
    await expect(src.open(new AbortController().signal)).rejects.toMatchObject({ reason: { code: 'gb.media_timeout' } });
    src.release();
  });
});
