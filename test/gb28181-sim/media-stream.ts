// GB/T 28181 device simulator: plays a loaded clip in real time (looping, scale, pause, seek, optional end) as PS packs over RTP to a sink.
import type { LoadedClip } from './clip-source';
import { PsMuxer } from './ps-mux';
import { RtpPacketiser, type RtpSink } from './rtp';

export interface StreamOptions {
  clip: LoadedClip;
  sink: RtpSink;
  ssrc: number;
  /** Stop after this much media time (playback/download of a range); default: forever. */
  durationS?: number;
  /** Media seconds per wall second (download speed, playback Scale); default 1. */
  scale?: number;
  now?: () => number;
  onEnd?: () => void;
}

const TICK_MS = 20;
/** PTS of the first frame: a device's clock is never at zero. */
const PTS_BASE = 90000;

export class MediaStream {
  private readonly mux: PsMuxer;
  private readonly rtp: RtpPacketiser;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  /** Media position (90 kHz, from the stream's start, not wrapped) at `anchorMs` wall time. */
  private anchor90k = 0;
  private anchorMs = 0;
  private scale: number;
  private paused = false;
  /** Next video unit and audio frame to send, as absolute indices over the looping clip. */
  private nextVideo = 0;
  private nextAudio = 0;
  private ended = false;
  sentPackets = 0;
  sentFrames = 0;

  constructor(private readonly opts: StreamOptions) {
    this.mux = new PsMuxer(opts.clip.video, opts.clip.audio);
    this.rtp = new RtpPacketiser(opts.ssrc);
    this.now = opts.now ?? Date.now;
    this.scale = opts.scale ?? 1;
  }

  start(): void {
    this.anchorMs = this.now();
    this.anchor90k = 0;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  private position90k(): number {
    if (this.paused) return this.anchor90k;
    return this.anchor90k + (this.now() - this.anchorMs) * 90 * this.scale;
  }

  private reanchor(): void {
    this.anchor90k = this.position90k();
    this.anchorMs = this.now();
  }

  /** Stops the clock; what was due before this instant is sent now, nothing after it until resume(). */
  pause(): void {
    this.reanchor();
    this.paused = true;
    this.tick();
  }

  resume(): void {
    this.anchorMs = this.now();
    this.paused = false;
  }

  setScale(scale: number): void {
    if (!(scale > 0)) return;
    this.reanchor();
    this.scale = scale;
  }

  /** Seek to `s` seconds into the range: the next frame sent is the keyframe at or before it. */
  seek(s: number): void {
    const { clip } = this;
    const frame = Math.max(0, Math.floor(s * clip.fps));
    let idx = frame;
    while (idx > 0 && !clip.units[idx % clip.units.length].key) idx--;
    this.nextVideo = idx;
    const t90k = this.videoTime(idx);
    this.nextAudio = this.audioIndexAt(t90k);
    this.anchor90k = t90k;
    this.anchorMs = this.now();
  }

  private get clip(): LoadedClip {
    return this.opts.clip;
  }

  private videoTime(i: number): number {
    const n = this.clip.units.length;
    return Math.floor(i / n) * this.clip.loop90k + Math.round(((i % n) * 90000) / this.clip.fps);
  }

  private audioTime(i: number): number {
    const n = this.clip.audioFrames.length;
    return Math.floor(i / n) * this.clip.loop90k + this.clip.audioFrames[i % n].t90k;
  }

  private audioIndexAt(t90k: number): number {
    const n = this.clip.audioFrames.length;
    if (n === 0) return 0;
    const loops = Math.floor(t90k / this.clip.loop90k);
    let i = loops * n;
    while (this.audioTime(i) < t90k) i++;
    return i;
  }

  private tick(): void {
    if (this.ended) return;
    const pos = this.position90k();
    const limit = this.opts.durationS !== undefined ? this.opts.durationS * 90000 : Infinity;
    const upTo = Math.min(pos, limit);
    const { units, audioFrames } = this.clip;
    for (;;) {
      const vt = this.videoTime(this.nextVideo);
      const at = audioFrames.length > 0 ? this.audioTime(this.nextAudio) : Infinity;
      const t = Math.min(vt, at);
      if (t > upTo || t >= limit) break;
      if (at < vt) {
        const pack = this.mux.audioPack(audioFrames[this.nextAudio % audioFrames.length].data, PTS_BASE + at);
        this.send(pack, PTS_BASE + at);
        this.nextAudio++;
      } else {
        const unit = units[this.nextVideo % units.length];
        this.send(this.mux.videoPack(unit.data, PTS_BASE + vt, unit.key), PTS_BASE + vt);
        this.sentFrames++;
        this.nextVideo++;
      }
    }
    if (this.videoTime(this.nextVideo) >= limit) {
      this.ended = true;
      this.stop();
      this.opts.onEnd?.();
    }
  }

  private send(pack: Buffer, ts90k: number): void {
    const packets = this.rtp.packetise(pack, ts90k);
    this.sentPackets += packets.length;
    this.opts.sink.send(packets);
  }

  /** Stops sending and closes the sink. Idempotent. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.opts.sink.close();
  }
}
