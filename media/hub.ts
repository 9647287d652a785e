// The media hub's narrow interface (what main/ uses: publish decisions, stream lookup, viewers, tracks, close) and its factory.
import type { StreamTracks } from './flv-tracks';
import { RtmpMediaHub } from './hub-rtmp';

export type HubDecision = { allow: true } | { allow: false; reason: string };

/** A publish or play request as the hub sees it, before it is accepted. */
export interface StreamRequest {
  /** "/<app>/<name>", e.g. "/live/12". */
  streamPath: string;
  app: string;
  name: string;
  /** Query string of the stream name (e.g. key, secret), single values only. */
  query: Record<string, string>;
  /** Client address without port. */
  remoteAddress: string;
  /** The query carries the hub's internal secret (a local Argus process). */
  internal: boolean;
  /** It arrived over RTMPS (options.tls). */
  secure: boolean;
}

/** A publisher the hub accepted. */
export interface PublishInfo extends Omit<StreamRequest, 'query'> {
  sessionId: string;
  startMs: number;
}

export type DonePublishReason = 'closed' | 'replaced' | 'kicked' | 'hub-closed';

export interface HubOptions {
  /** TCP port for RTMP (0 = any free port). */
  port: number;
  /** Address to bind (e.g. 127.0.0.1, or 0.0.0.0 so that units can reach it). */
  host: string;
  log?: (msg: string) => void;
  now?: () => number;
  /** RTMPS as well, on this port (0 = any free one) with this certificate and key (PEM). */
  tls?: { port: number; cert: Buffer; key: Buffer };
  /** An external session that sends or receives nothing for this long is closed (half-open 4G links). */
  idleTimeoutMs?: number;
  /** A connection must publish or play within this time. */
  handshakeTimeoutMs?: number;
  /** A viewer whose unsent data exceeds this is dropped instead of buffering without bound. */
  maxViewerBufferBytes?: number;
  /** At most this many RTMP connections at once. */
  maxConnections?: number;
  /**
   * Apps whose first internal RTMP player (the recorder) receives everything since the publish started (up to
   * preRollMaxMs), not just the current GOP, so a slow-starting recorder loses no video.
   */
  preRollApps?: readonly string[];
  preRollMaxMs?: number;
  /** Decides a publish. Default: only internal publishers. A rejection closes the session at once. */
  onPrePublish?(req: StreamRequest): HubDecision;
  /** Decides an RTMP play. Default: only internal consumers (secret in the query) may play. */
  onPrePlay?(req: StreamRequest): HubDecision;
  onPublish?(info: PublishInfo): void;
  /** The publish ended; all its players and viewers have been disconnected. */
  onDonePublish?(info: PublishInfo, reason: DonePublishReason): void;
}

/** Where a viewer's FLV bytes go (an HTTP response or a WebSocket). */
export interface ViewerSink {
  write(buf: Buffer): void;
  /** Bytes accepted but not yet sent to the client. */
  bufferedBytes(): number;
  /** Ends the stream normally (publish ended). */
  end(): void;
  /** Cuts the client off (too slow). */
  destroy(): void;
}

export interface Viewer {
  readonly streamPath: string;
  /** Stops sending to this viewer (its connection closed). Idempotent; never disturbs the hub or other viewers. */
  detach(): void;
}

/**
 * The RTMP media hub: units and camera relays publish into it, recorders play from it over RTMP, console viewers attach
 * as FLV sinks. One per process (the engine keeps its stream table in module-level state). Invariants: only accepted
 * publishers' packets reach a stream; one publisher per stream path (a new accepted publisher replaces the old one);
 * when a publish ends every player and viewer of that path is disconnected first (onDonePublish is called before).
 */
export interface MediaHub {
  /** Listens (RTMP on options.host:options.port) and resolves with the bound port. Rejects when the port is taken. */
  start(): Promise<number>;
  /** Stops listening and disconnects every session and viewer (ongoing publishes end with 'hub-closed'). */
  close(): Promise<void>;
  /** Port RTMP listens on, null before start() or after close(). */
  readonly port: number | null;
  /** Port RTMPS listens on (options.tls), null without TLS, before start() or after close(). */
  readonly securePort: number | null;
  readonly listening: boolean;
  /** rtmp:// URL of a stream for a local Argus process (carries the internal secret). */
  internalUrl(app: string, name: string): string;
  /** internalUrl for a stream path "/<app>/<name>" (in-process use and tests: never hand it to a process's command line). */
  internalUrlFor(streamPath: string): string;
  /** URL for one ffmpeg run: a one-time token (`?once=`) good for one publish or play of the path; see docs/security.md. */
  onceUrlFor(streamPath: string): string;
  /** The accepted publisher of a stream path, or null. */
  publisher(streamPath: string): (PublishInfo & { inBytes: number }) | null;
  isLive(streamPath: string): boolean;
  /** The codecs a live stream carries (null fields until its first tag of that kind), or null when it is not live. */
  streamTracks(streamPath: string): StreamTracks | null;
  /** Closes the publisher of a stream path (unit disabled, key rotated...). Returns false when none publishes. */
  kick(streamPath: string): boolean;
  /**
   * Attaches an FLV viewer: it receives the FLV header, metadata, codec headers and the current GOP at once, then every
   * packet; its header announces exactly the tracks it will receive (no audio the console cannot decode). Null when the
   * path is not live. A viewer more than options.maxViewerBufferBytes behind is dropped.
   */
  attachViewer(streamPath: string, sink: ViewerSink, remoteAddress: string): Viewer | null;
  /** Number of viewers attached to a stream path (all paths when omitted). */
  viewerCount(streamPath?: string): number;
}

/** The hub (node-media-server's RTMP engine behind Argus's own locked-down listener). */
export function createMediaHub(opts: HubOptions): MediaHub {
  return new RtmpMediaHub(opts);
}

/** Hub stream path of a fixed camera's main or sub stream (NMS allows only [A-Za-z0-9_-] in a stream name). */
export function cameraStreamPath(cameraId: number, stream: 'main' | 'sub'): string {
  return stream === 'main' ? `/cam/${cameraId}` : `/cam/${cameraId}_sub`;
}

/** Hub stream path a mobile unit publishes to. */
export function unitStreamPath(unitId: number): string {
  return `/live/${unitId}`;
}
