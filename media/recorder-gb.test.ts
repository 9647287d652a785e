// Recording matrix for GB/T 28181 media: PS over RTP (UDP, TCP passive, TCP active) of several field shapes, received by the real
// RtpReceiver and recorded by the real Recorder: segments play with the source's video and AAC audio exactly where it has audio.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CameraStatus } from '../common/api';
import { testLauncher } from '../test/harness/ffmpeg';
import { FIELD_SHAPES, type FieldShape } from '../test/helpers/clips';
import { FFMPEG_BIN, ffprobe, run as runBin } from '../test/helpers/ffmpeg';
import { loadPsSource } from '../test/helpers/gb-ps';
import { PsRtpSender } from '../test/helpers/gb-rtp-sender';
import { waitFor } from '../test/helpers/media-assert';
import { Recorder, type ClosedSegment } from './recorder';
import { rtpPsInput, type RtpPsInput } from './rtp/ps-input';
import { RtpReceiver, type RtpTransport } from './rtp/receiver';
import type { StreamSource } from './stream-source';

const ffmpeg = testLauncher();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-rec-gb-'));
const quiet = () => undefined;
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CASES: Array<[FieldShape, RtpTransport]> = [
  ['h264-g711a', 'udp'],
  ['h265-bframes-g711a', 'udp'],
  ['h264-bframes', 'tcp-passive'],
  ['h264-silent', 'tcp-active'],
  ['h264-sub-longgop', 'udp'],
  ['h264-g711u', 'tcp-passive'],
];

/** The receiver's subscriptions as a StreamSource (what main/services/sources/gb28181.ts does over the INVITE). */
function receiverSource(id: number, rx: RtpReceiver): StreamSource & { opened: number } {
  let cur: RtpPsInput | null = null;
  const src = {
    channelId: id,
    stream: 'main' as const,
    opened: 0,
    describe: () => `gb28181 test ${id}`,
    open: () => {
      src.opened++;
      cur = rtpPsInput(rx);
      return Promise.resolve(cur.input);
    },
    release: () => {
      cur?.end();
      cur = null;
    },
  };
  return src;
}

async function decodeErrors(file: string): Promise<string> {
  return (await runBin(FFMPEG_BIN, ['-v', 'error', '-i', file, '-f', 'null', '-'], { timeoutMs: 60_000 })).stderr.trim();
}

describe('recording GB/T 28181 PS over RTP, per field shape and transport', () => {
  it.each(CASES.map(([shape, transport], i) => [shape, transport, 500 + i] as const))(
    '%s over %s',
    async (shape, transport, id) => {
      const source = FIELD_SHAPES[shape];
      const ps = await loadPsSource(shape, 10);
      const ssrc = 100_000_000 + id;
      const rx = new RtpReceiver({ transport, bindHost: '127.0.0.1', ssrc, log: quiet });
      const port = await rx.start();
      const sender = new PsRtpSender(ps, {
        transport: transport === 'udp' ? 'udp' : transport === 'tcp-passive' ? 'tcp-connect' : 'tcp-listen',
        host: '127.0.0.1',
        port: transport === 'tcp-active' ? 0 : port,
        ssrc,
        payloadType: transport === 'udp' ? 96 : 98,
      });
      const senderPort = await sender.start();
      if (transport === 'tcp-active') await rx.connect('127.0.0.1', senderPort);
      const closed: ClosedSegment[] = [];
      const statuses: CameraStatus[] = [];
      const errors: string[] = [];
      const dir = fs.mkdtempSync(path.join(tmp, 'src-'));
      const rec = new Recorder(
        { cameraId: id, segmentSeconds: 2, recordingsDir: dir, source: receiverSource(id, rx) },
        {
          onStatus: (s) => statuses.push(s),
          onSegmentOpened: quiet,
          onSegmentClosed: (s) => closed.push(s),
          onSegmentError: (p, m) => errors.push(`${p}: ${m}`),
        },
        { log: process.env.MATRIX_LOG ? (m) => console.log(`${Date.now()} ${m}`) : quiet, ffmpeg },
      );
      try {
        rec.start();
        await waitFor(() => statuses.some((s) => s.state === 'recording'), 'recording', 30_000);
        await waitFor(() => closed.reduce((a, s) => a + s.durationMs, 0) >= 6000, '6 s recorded', 60_000);
        await rec.close();
      } finally {
        await rec.close();
        await sender.stop();
        await rx.close();
      }
      expect(errors).toEqual([]);
      expect(rx.counters()).toMatchObject({ malformed: 0, wrongSsrc: 0, lost: 0 });
      const segs = [...closed].sort((a, b) => a.startMs - b.startMs);
      expect(segs.length).toBeGreaterThanOrEqual(2);
      const videoCodec = source.codec === 'h265' ? 'hevc' : 'h264';
      const wantAudio = source.audio === false ? null : 'aac';
      for (const s of segs) {
        const file = path.join(dir, s.relPath);
        const p = await ffprobe(file);
        expect(p.streams.filter((x) => x.codec_type === 'video').map((x) => [x.codec_name, x.width, x.height])).toEqual([
          [videoCodec, source.width, source.height],
        ]);
        expect(p.streams.filter((x) => x.codec_type === 'audio').map((x) => x.codec_name)).toEqual(wantAudio ? [wantAudio] : []);
        expect(p.streams.filter((x) => x.codec_type === 'data')).toEqual([]);
        expect([s.videoCodec, s.audioCodec]).toEqual([videoCodec, wantAudio]);
        expect(Math.abs(Number(p.format.duration) * 1000 - s.durationMs), s.relPath).toBeLessThan(200);
        expect(await decodeErrors(file)).toBe('');
      }
      for (let i = 1; i < segs.length; i++) expect(segs[i].startMs).toBeGreaterThanOrEqual(segs[i - 1].endMs);
    },
    180_000,
  );
});
