// The only module that touches node-media-server: its RTMP session and broadcast internals, wrapped in the hub's own terms.
import { createRequire } from 'node:module';
import type net from 'node:net';

// node-media-server 4 is CommonJS without type declarations. Only its protocol/session classes are used (never its
// NodeMediaServer class, HTTP/admin API, web admin, record, relay, notify or history servers, nor its JSON store);
// the shapes below are the parts of 4.4.x this module relies on (pinned in package.json, exercised by media/hub.test.ts
// and media/hub-contract.test.ts).
const require = createRequire(import.meta.url);

/** A media message of a publisher, as NMS parsed it. */
export interface HubPacket {
  /** 8 audio, 9 video, 18 metadata (FLV tag types). */
  codec_type: number;
  /** 0 audio header, 1 audio frame, 2 video header, 3 video keyframe, 4 video frame, 5 metadata. */
  flags: number;
  dts: number;
  size: number;
  data: Buffer;
}

interface NmsSession {
  id: string;
  ip: string;
  protocol: string;
  isPublisher: boolean;
  streamApp: string;
  streamName: string;
  streamPath: string;
  streamQuery: Record<string, string | string[] | undefined>;
  inBytes: number;
  outBytes: number;
  broadcast: NmsBroadcast;
  sendBuffer: (buf: Buffer) => void;
  close: () => void;
}

interface NmsRtmpSession extends NmsSession {
  socket: net.Socket;
  rtmp: { inPackets: Map<number, unknown>; parserPacket: { header: { length: number } }; packetAlloc(): void };
  run(): void;
  onConnect(req: unknown): void;
  onPush(): void;
  onPlay(): void;
  onPacket(p: HubPacket): void;
  onData(d: Buffer): void;
  onClose(): void;
}

interface NmsBroadcast {
  streamPath: string;
  publisher: NmsSession | null;
  subscribers: Map<string, NmsSession>;
  publishGraceMs: number;
  rtmpGopCache: Set<Buffer> | null;
  flvVideoHeader: Buffer | null;
  postPlay(s: NmsSession): string | null;
  donePlay(s: NmsSession): void;
  _finishPublish(): void;
  _destroyIfEmpty(): void;
}

const RtmpSession = require('node-media-server/src/session/rtmp_session.js') as new (socket: net.Socket) => NmsRtmpSession;
const BaseSession = require('node-media-server/src/session/base_session.js') as new () => NmsSession;
const Rtmp = require('node-media-server/src/protocol/rtmp.js') as { createMessage(p: HubPacket): Buffer; prototype: { packetAlloc(): void } };
const Context = require('node-media-server/src/core/context.js') as { config: Record<string, unknown>; broadcasts: Map<string, NmsBroadcast> };
const nmsLogger = require('node-media-server/src/core/logger.js') as { log: (message: string, level?: string) => void };

/** Inbound RTMP message size allowed before a session is accepted as publisher or player. */
const PRE_AUTH_MAX_MESSAGE = 64 * 1024;
/** More chunk streams than this on one connection is abuse (real clients use a handful). */
const MAX_CHUNK_STREAMS = 32;

/** Our wrapper of each NMS session we created (sessions NMS knows of but we did not make are not ours). */
const connections = new WeakMap<NmsSession, RtmpConnection>();

/** Takes every decision away from NMS (no auth, record, relay... of its own) and routes its log lines to `log`. */
export function initNms(log: (message: string, level: string) => void): void {
  Context.config = {};
  nmsLogger.log = (message: string, level = 'info') => log(message, level);
}

/** The RTMP message NMS would send players for a packet (what a GOP cache holds). */
export function rtmpMessage(p: HubPacket): Buffer {
  return Rtmp.createMessage(p);
}

/** What the hub decides for one RTMP connection. */
export interface ConnectionHooks {
  /** True while the connection has neither published nor played (bounds what the parser may allocate). */
  isPending(): boolean;
  /** NMS's parser threw on the connection's bytes. */
  onMalformed(err: Error): void;
  /** The client asks to publish; `accept()` lets NMS make it the publisher and says whether it now is. */
  onPush(accept: () => boolean): void;
  /** The client asks to play; `play(cache)` starts it, with `cache` instead of the current GOP when given. */
  onPlay(play: (cache: Buffer[] | null) => void): void;
  /** A media packet of this connection; true lets it reach the stream. */
  onPacket(p: HubPacket): boolean;
  /** The connection ended (before NMS cleans up). */
  onClose(): void;
  /** NMS's own cleanup threw. */
  onCloseError(err: Error): void;
}

/** One RTMP connection, parsed by NMS's session, every step of it routed through `hooks`. */
export class RtmpConnection {
  private readonly s: NmsRtmpSession;

  constructor(
    readonly socket: net.Socket,
    hooks: ConnectionHooks,
  ) {
    const session = new RtmpSession(socket);
    this.s = session;
    connections.set(session, this);

    // Bound what an unauthenticated client can make the parser allocate.
    session.rtmp.packetAlloc = function (this: NmsRtmpSession['rtmp']) {
      if (this.inPackets.size > MAX_CHUNK_STREAMS) throw new Error('too many RTMP chunk streams');
      if (hooks.isPending() && this.parserPacket.header.length > PRE_AUTH_MAX_MESSAGE) throw new Error('RTMP message too large before publish/play');
      Rtmp.prototype.packetAlloc.call(this);
    };

    const orig = {
      onConnect: session.onConnect,
      onPush: session.onPush,
      onPlay: session.onPlay,
      onPacket: session.onPacket,
      onData: session.onData,
      onClose: session.onClose,
    };
    session.onData = (d: Buffer) => {
      try {
        orig.onData(d);
      } catch (err) {
        hooks.onMalformed(err as Error);
      }
    };
    session.onConnect = (req: unknown) => {
      orig.onConnect(req);
      // No "resume within 30 s" (it would hide a 4G drop inside one continuous timeline): a publish ends when its
      // connection ends.
      if (session.streamPath) session.broadcast.publishGraceMs = 0;
    };
    session.onPush = () =>
      hooks.onPush(() => {
        orig.onPush();
        return session.broadcast.publisher === session;
      });
    session.onPlay = () =>
      hooks.onPlay((cache) => {
        const b = session.broadcast;
        if (!cache) return orig.onPlay();
        const gop = b.rtmpGopCache;
        b.rtmpGopCache = new Set(cache);
        try {
          orig.onPlay();
        } finally {
          b.rtmpGopCache = gop;
        }
      });
    session.onPacket = (p: HubPacket) => {
      if (hooks.onPacket(p)) orig.onPacket(p);
    };
    session.onClose = () => {
      hooks.onClose();
      try {
        orig.onClose();
      } catch (err) {
        hooks.onCloseError(err as Error);
      }
    };
  }

  /** Starts reading the socket. */
  run(): void {
    this.s.run();
  }

  get id(): string {
    return this.s.id;
  }

  /** "/<app>/<name>" once the client connected to a stream, else empty. */
  get streamPath(): string {
    return this.s.streamPath;
  }

  get app(): string {
    return this.s.streamApp;
  }

  get name(): string {
    return this.s.streamName;
  }

  get query(): Record<string, string | string[] | undefined> {
    return this.s.streamQuery ?? {};
  }

  get inBytes(): number {
    return this.s.inBytes;
  }

  /** The stream this connection connected to. */
  get stream(): HubStream {
    return new HubStream(this.s.broadcast);
  }

  /** True when this connection is the publisher of its stream. */
  get isPublishing(): boolean {
    return this.s.broadcast.publisher === this.s;
  }
}

/** An FLV subscriber added to a stream (a viewer). */
export interface Subscription {
  /** Starts delivery (header, metadata, codec headers and cached GOP at once); an error text when NMS refuses. */
  start(): string | null;
  /** Removes it from the stream (idempotent); an empty stream is dropped. */
  remove(): void;
}

/** One stream path's broadcast: its publisher and subscribers. */
export class HubStream {
  constructor(private readonly b: NmsBroadcast) {}

  get streamPath(): string {
    return this.b.streamPath;
  }

  get hasPublisher(): boolean {
    return this.b.publisher !== null;
  }

  /** The publisher, when it is a connection of ours. */
  publisher(): RtmpConnection | null {
    return this.b.publisher ? (connections.get(this.b.publisher) ?? null) : null;
  }

  get hasVideoHeader(): boolean {
    return this.b.flvVideoHeader !== null;
  }

  /** Ends the current publish at once: no packet of its publisher reaches the stream any more. */
  finishPublish(): void {
    this.b._finishPublish();
  }

  /** Disconnects every player and viewer, then drops the stream if nothing is left on it. */
  closeSubscribers(): void {
    for (const [id, sub] of [...this.b.subscribers]) {
      this.b.subscribers.delete(id);
      try {
        sub.close();
      } catch {
        /* already gone */
      }
    }
    this.b._destroyIfEmpty();
  }

  /** Registers the stream under its path again (after it was dropped while empty). */
  register(): void {
    Context.broadcasts.set(this.b.streamPath, this.b);
  }

  /** Adds an FLV subscriber: `send` gets each tag and returns the bytes it wrote; `close` is called when the publish ends. */
  subscribe(ip: string, h: { send(raw: Buffer): number; close(): void }): Subscription {
    const b = this.b;
    const v = new BaseSession();
    v.protocol = 'flv';
    v.ip = ip;
    v.streamPath = b.streamPath;
    v.sendBuffer = (raw: Buffer) => {
      v.outBytes += h.send(raw);
    };
    v.close = () => h.close();
    return {
      start: () => b.postPlay(v),
      remove: () => {
        b.subscribers.delete(v.id);
        b._destroyIfEmpty();
      },
    };
  }
}

/** The stream at a path, or null. */
export function streamAt(streamPath: string): HubStream | null {
  const b = Context.broadcasts.get(streamPath);
  return b ? new HubStream(b) : null;
}

/** Every stream NMS knows of. */
export function allStreams(): HubStream[] {
  return [...Context.broadcasts.values()].map((b) => new HubStream(b));
}
