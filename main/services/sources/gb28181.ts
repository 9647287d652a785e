// Stream source of a GB/T 28181 channel: the shared live stream (INVITE, PS over RTP) held for each run, released after it.
import { msg } from '../../../common/messages';
import { SourceUnavailable, type StreamSource } from '../../../media/stream-source';
import type { CameraRow } from '../../../storage/repositories';
import type { GbLiveLease, GbLiveStreams } from '../contracts';

export type { GbLiveLease, GbLiveStreams } from '../contracts';

/** Filled by the composition root once the GB feature exists (the recorders are made before it). */
export interface GbLiveRef {
  current: GbLiveStreams | null;
}

/** The URL of a GB channel's row: `gb28181:<device ID>/<channel ID>` (storage/sqlite/cameras.ts). */
export function gbTargetOf(url: string): { deviceGbId: string; channelGbId: string } | null {
  const m = /^gb28181:(\d{20})\/(\d{1,64})$/.exec(url);
  return m ? { deviceGbId: m[1]!, channelGbId: m[2]! } : null;
}

/** A GB channel's main stream (GB channels have one stream per INVITE; the sub stream is left out: null). */
export function gbSource(channel: CameraRow, stream: 'main' | 'sub', ref: GbLiveRef | null): StreamSource | null {
  if (stream === 'sub') return null;
  const target = gbTargetOf(channel.url);
  let lease: GbLiveLease | null = null;
  return {
    channelId: channel.id,
    stream,
    describe: () => (target ? `gb28181 INVITE ${target.channelGbId}` : 'gb28181 (no channel ID)'),
    open: async (signal) => {
      if (!target) throw new SourceUnavailable(msg('gb.no_media', { id: channel.name }), true);
      const live = ref?.current;
      if (!live) throw new SourceUnavailable(msg('gb.live_off'));
      lease = await live.acquire(target.deviceGbId, target.channelGbId, signal);
      return lease.input;
    },
    release: () => {
      lease?.release();
      lease = null;
    },
  };
}
