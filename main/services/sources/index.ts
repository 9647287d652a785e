// sourceFor: the StreamSource of a channel's main or sub stream, chosen by the kind of source in one exhaustive switch.
import { assertNever } from '../../../common/events';
import type { StreamSource } from '../../../media/stream-source';
import type { CameraRow } from '../../../storage/repositories';
import { agentSource, type HubStreams } from './agent';
import { gbSource, type GbLiveRef } from './gb28181';
import { rtspSource } from './rtsp';

export { agentSource, type HubStreams } from './agent';
export { gbSource, gbTargetOf, type GbLiveLease, type GbLiveRef, type GbLiveStreams } from './gb28181';
export { describeUrl, inputUrl, rtspSource } from './rtsp';

export interface SourceDeps {
  /** The media hub units publish into; null when there is none (then a unit's stream is never available). */
  hub: HubStreams | null;
  /** The GB/T 28181 live streams; absent or empty: GB channels are unavailable. */
  gb?: GbLiveRef | null;
}

const NO_HUB: HubStreams = { listening: false, onceUrlFor: () => '', isLive: () => false };

/**
 * The source of a channel's stream, or null when the channel has no such stream (a camera without a sub URL, a unit's
 * sub stream). The recorder and the relay only ever see the result (docs/design/devices.md, invariant 8).
 */
export function sourceFor(channel: CameraRow, stream: 'main' | 'sub', deps: SourceDeps): StreamSource | null {
  switch (channel.kind) {
    case 'rtsp':
      return rtspSource(channel, stream);
    case 'uplink':
      return stream === 'main' ? agentSource(channel.id, deps.hub ?? NO_HUB) : null;
    case 'gb28181':
      return gbSource(channel, stream, deps.gb ?? null);
    default:
      return assertNever(channel.kind);
  }
}
