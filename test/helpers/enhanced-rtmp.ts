// Test helper: a unit publishing H.265 over Enhanced RTMP (FourCC 'hvc1' video tags, as OBS 29+ and ffmpeg 6+ send it).
// ffmpeg 5.1 cannot write such a stream, so this speaks RTMP itself (node-media-server's RTMP client: handshake, connect,
// createStream, publish) and sends the H.265 frames of an MP4 clip in real time, each as an Enhanced RTMP video tag.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { FFMPEG_BIN, FFPROBE_BIN, run } from './ffmpeg';

const require = createRequire(import.meta.url);

interface NmsRtmpClient {
  connect(url: string): Promise<void>;
  sendConnect(): Promise<unknown>;
  sendCreateStream(): Promise<number>;
  sendPublish(streamName: string): Promise<unknown>;
  sendMetaData(meta: Record<string, unknown>): void;
  sendPacket(p: { codec_type: number; dts: number; size: number; data: Buffer }): void;
  urlInfo: { streamName: string };
  onCloseCallback: (hadError: boolean) => void;
  onErrorCallback: (e: Error) => void;
  socket: { destroy(): void } | null;
}
const RtmpClient = require('node-media-server/src/protocol/rtmp_client.js') as new () => NmsRtmpClient;

const FOURCC_HVC1 = Buffer.from('hvc1');

export interface HevcFrame {
  dtsMs: number;
  ctsMs: number;
  key: boolean;
  /** Length-prefixed NAL units (hvcC format), as stored in MP4. */
  data: Buffer;
}

/** The hvcC record and the video frames of an H.265 MP4 clip (no B-frames needed; composition offsets are kept). */
export async function readHevcClip(clip: string): Promise<{ config: Buffer; frames: HevcFrame[] }> {
  const mp4 = await readFile(clip);
  const at = mp4.indexOf('hvcC');
  if (at < 4) throw new Error(`${clip}: no hvcC box`);
  const config = mp4.subarray(at + 4, at - 4 + mp4.readUInt32BE(at - 4));
  const probe = await run(
    FFPROBE_BIN,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,dts_time,flags,size', '-of', 'csv=p=0', clip],
    { timeoutMs: 30_000 },
  );
  const raw = await promisify(execFile)(FFMPEG_BIN, ['-v', 'error', '-i', clip, '-map', '0:v:0', '-c', 'copy', '-f', 'data', '-'], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 30_000,
  });
  const bytes = raw.stdout;
  const frames: HevcFrame[] = [];
  let off = 0;
  for (const line of probe.stdout.trim().split('\n')) {
    const [pts, dts, size, flags] = line.split(',');
    const n = Number(size);
    frames.push({
      dtsMs: Math.round(Number(dts) * 1000),
      ctsMs: Math.round((Number(pts) - Number(dts)) * 1000),
      key: flags.startsWith('K'),
      data: bytes.subarray(off, off + n),
    });
    off += n;
  }
  if (off !== bytes.length) throw new Error(`${clip}: packet sizes (${off}) do not add up to the stream (${bytes.length})`);
  return { config, frames };
}

/** An Enhanced RTMP video tag body: [IsExHeader|FrameType|PacketType] 'hvc1' [SI24 cts] data. */
export function enhancedHevcTag(packetType: 0 | 1, key: boolean, ctsMs: number, data: Buffer): Buffer {
  const head = Buffer.alloc(packetType === 1 ? 8 : 5);
  head[0] = 0x80 | ((key ? 1 : 2) << 4) | packetType;
  FOURCC_HVC1.copy(head, 1);
  if (packetType === 1) head.writeIntBE(ctsMs, 5, 3);
  return Buffer.concat([head, data]);
}

export interface EnhancedPublisher {
  /** Resolves once the hub accepted the publish. */
  ready: Promise<void>;
  /** Stops sending and closes the connection. */
  stop(): Promise<void>;
}

/** Publishes an H.265 MP4 clip to `url` over Enhanced RTMP in real time, looping until stopped. */
export function publishEnhancedHevc(url: string, clip: string): EnhancedPublisher {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const client = new RtmpClient();
  client.onCloseCallback = () => void (stopped = true);
  client.onErrorCallback = () => void (stopped = true);
  const ready = (async () => {
    const { config, frames } = await readHevcClip(clip);
    await client.connect(url);
    await client.sendConnect();
    await client.sendCreateStream();
    // The stream name carries the query (the unit's ?key=), as ffmpeg and OBS send it.
    await client.sendPublish(client.urlInfo.streamName + new URL(url).search);
    client.sendMetaData({ videocodecid: FOURCC_HVC1.readUInt32BE(0), width: 640, height: 360, framerate: 25 });
    const send = (dtsMs: number, body: Buffer) => client.sendPacket({ codec_type: 9, dts: dtsMs, size: body.length, data: body });
    send(0, enhancedHevcTag(0, true, 0, config));
    const loopMs = frames.at(-1)!.dtsMs + 40;
    const t0 = Date.now();
    let i = 0;
    let loop = 0;
    const pump = () => {
      if (stopped) return;
      const now = Date.now() - t0;
      while (!stopped) {
        const f = frames[i];
        const dts = f.dtsMs + loop * loopMs;
        if (dts > now) break;
        send(dts, enhancedHevcTag(1, f.key, f.ctsMs, f.data));
        if (++i === frames.length) {
          i = 0;
          loop++;
        }
      }
      timer = setTimeout(pump, 20);
    };
    pump();
  })();
  ready.catch(() => undefined);
  return {
    ready,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      client.socket?.destroy();
      await ready.catch(() => undefined);
    },
  };
}
