// Stream source of a unit (an agent publishing over RTMP): the hub's internal URL while the unit publishes.
import { msg } from '../../../common/messages';
import { unitStreamPath } from '../../../media/hub';
import { SourceUnavailable, type StreamSource } from '../../../media/stream-source';

/** What an agent source needs from the media hub. */
export interface HubStreams {
  readonly listening: boolean;
  /** rtmp:// URL of a hub stream for one run of an Argus ffmpeg (a one-time token, dead once used). */
  onceUrlFor(streamPath: string): string;
  /** True while a publisher sends on the stream path. */
  isLive(streamPath: string): boolean;
}

/** A unit's only stream, `/live/<id>`: available while the unit publishes, else SourceUnavailable (status.not_publishing). */
export function agentSource(unitId: number, hub: HubStreams): StreamSource {
  const streamPath = unitStreamPath(unitId);
  return {
    channelId: unitId,
    stream: 'main',
    describe: () => `hub ${streamPath}`,
    open: () => {
      if (!hub.listening || !hub.isLive(streamPath)) return Promise.reject(new SourceUnavailable(msg('status.not_publishing')));
      // A fresh one-time token per run: what `ps` shows of it is used up by the time anyone reads it (redacted in logs as once=***).
      const url = hub.onceUrlFor(streamPath);
      return Promise.resolve({ kind: 'url', url, rtspTransport: null, secrets: [] });
    },
    release: () => undefined,
  };
}
