// Stream source of a unit (an agent publishing over RTMP): the hub's internal URL while the unit publishes.
import { msg } from '../../../common/messages';
import { unitStreamPath } from '../../../media/hub';
import { SourceUnavailable, type StreamSource } from '../../../media/stream-source';

/** What an agent source needs from the media hub. */
export interface HubStreams {
  readonly listening: boolean;
  /** rtmp:// URL of a hub stream for Argus's own processes (carries the internal secret). */
  internalUrlFor(streamPath: string): string;
  /** True while a publisher sends on the stream path. */
  isLive(streamPath: string): boolean;
}

/** The internal secret in a hub URL (listed as a secret of the input, so that no log line shows it). */
function secretsOf(url: string): string[] {
  const s = new URL(url).searchParams.get('secret');
  return s ? [s] : [];
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
      const url = hub.internalUrlFor(streamPath);
      return Promise.resolve({ kind: 'url', url, rtspTransport: null, secrets: secretsOf(url) });
    },
    release: () => undefined,
  };
}
