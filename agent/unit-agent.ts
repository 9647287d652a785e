// One field unit: reads fixes (gpsd, an NMEA file or a simulated route), queues them on disk, sends them, pushes video, raises SOS.
import fs from 'node:fs';
import { PointBuffer } from './buffer';
import { GpsdClient } from './gpsd';
import { readNmea, type Fix } from './nmea';
import { TelemetryUplink } from './uplink';
import { VideoPusher } from './video';
import type { ServerTrust } from './tls-trust';
import { createFfmpegLauncher, type FfmpegLauncher } from '../media/ffmpeg-launcher';

export interface UnitAgentOptions {
  server: string;
  unitId: number;
  key: string;
  /** Disk buffer file (null: memory only). */
  bufferFile: string | null;
  /** Video source ('testsrc', a file, a device) and where to push it; omitted: telemetry only. */
  video?: { source: string; url: string; label?: string; size?: string; fps?: number; bitrateKbps?: number };
  /** Starts the video push (default: the `ffmpeg` on PATH). */
  ffmpeg?: FfmpegLauncher;
  gpsd?: { host: string; port: number };
  nmeaFile?: string;
  /** Replay the NMEA file in a loop. */
  loop?: boolean;
  sos?: boolean;
  log: (m: string) => void;
  maxBackoffMs?: number;
  /** The server's certificate must match (--ca/--pin): telemetry over HTTPS/WSS only, video over RTMPS checked against the CA. */
  trust?: ServerTrust | null;
  /** How often the gps status line is logged while reports are dropped (ms; default 60 s). */
  statusEveryMs?: number;
}

export class UnitAgent {
  readonly buffer: PointBuffer;
  readonly uplink: TelemetryUplink;
  private gpsd: GpsdClient | null = null;
  private video: VideoPusher | null = null;
  private replay: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  /** What the last NMEA replay read and skipped (for the status line). */
  private nmeaStatus: string | null = null;
  private lastFix: Fix | null = null;
  sosActive: boolean;
  /** Extra telemetry the platform knows (battery, signal); the simulator sets it. */
  extras: { batteryPct?: number; signalDbm?: number } = {};
  readonly fixes: Fix[] = [];

  constructor(private readonly o: UnitAgentOptions) {
    this.buffer = new PointBuffer(o.bufferFile);
    this.uplink = new TelemetryUplink({
      server: o.server,
      unitId: o.unitId,
      key: o.key,
      buffer: this.buffer,
      log: o.log,
      maxBackoffMs: o.maxBackoffMs,
      trust: o.trust,
    });
    this.sosActive = o.sos ?? false;
  }

  start(): void {
    if (this.buffer.length > 0) this.o.log(`${this.buffer.length} points from an earlier run are queued`);
    this.uplink.start();
    if (this.o.gpsd) {
      this.gpsd = new GpsdClient(this.o.gpsd.host, this.o.gpsd.port, (f, note) => this.fix(f, note), this.o.log);
      this.gpsd.start();
      // While reports are being dropped (or timed by the agent clock), say so with counts once a minute, never per fix.
      this.statusTimer = setInterval(() => {
        const g = this.gpsd;
        // Also while gpsd has given no fix at all: "connected" alone says nothing about positions.
        if (g && (g.cycles.drops.takeChanged() || g.cycles.agentClockFixes > 0 || g.cycles.fixes === 0)) this.o.log(`gps status: ${g.status()}`);
      }, this.o.statusEveryMs ?? 60_000);
      this.statusTimer.unref();
    }
    if (this.o.nmeaFile) this.replayNmea(this.o.nmeaFile);
    if (this.o.video) {
      this.video = new VideoPusher(
        { ...this.o.video, caFile: this.o.trust?.caFile ?? undefined },
        this.o.log,
        this.o.ffmpeg ?? createFfmpegLauncher({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' }),
      );
      this.video.start();
    }
  }

  /** A new position: queued on disk at once, sent by the uplink. */
  fix(f: Fix, note: { timeFromAgentClock?: boolean } = {}): void {
    this.lastFix = f;
    this.fixes.push(f);
    if (this.fixes.length > 100_000) this.fixes.splice(0, 50_000);
    this.buffer.push({
      ...f,
      ...this.extras,
      sos: this.sosActive,
      capturedMs: Date.now(),
      ...(note.timeFromAgentClock ? { timeFromAgentClock: true as const } : {}),
    });
    void this.uplink.pump();
  }

  /** The GPS input in one line: what was read, turned into fixes, and dropped with counted reasons. */
  gpsStatus(): string | null {
    return this.gpsd?.status() ?? this.nmeaStatus;
  }

  /** SOS on or off: sent at once with the last known position (time: now). */
  setSos(active: boolean): void {
    if (this.sosActive === active) return;
    this.sosActive = active;
    this.o.log(`SOS ${active ? 'ON' : 'off'}`);
    const f = this.lastFix;
    if (f) this.fix({ ...f, tMs: Math.max(Date.now(), f.tMs + 1) });
  }

  /** Replays an NMEA log at its own pace, its times moved to now (a recorded drive shows as live). */
  private replayNmea(file: string): void {
    const read = readNmea(fs.readFileSync(file, 'utf8'));
    const fixes = read.fixes;
    const skipped =
      Object.entries(read.dropped)
        .map(([r, n]) => `${r} ×${n}`)
        .join(', ') || 'none';
    this.nmeaStatus = `${file}: ${fixes.length} fixes from ${read.types.join('/') || 'no'} sentences; skipped: ${skipped}`;
    if (fixes.length === 0) {
      this.o.log(`${file}: no usable fixes (sentences: ${read.types.join(', ') || 'none'}; skipped: ${skipped})`);
      return;
    }
    this.o.log(`replaying ${this.nmeaStatus}`);
    let i = 0;
    let offset = Date.now() - fixes[0]!.tMs;
    const next = () => {
      if (i >= fixes.length) {
        if (!this.o.loop) return this.o.log(`${file}: end of log`);
        i = 0;
        offset = Date.now() - fixes[0]!.tMs;
      }
      const f = fixes[i]!;
      this.fix({ ...f, tMs: f.tMs + offset });
      const gap = i + 1 < fixes.length ? fixes[i + 1]!.tMs - f.tMs : 1000;
      i++;
      this.replay = setTimeout(next, Math.max(0, gap));
    };
    next();
  }

  async close(): Promise<void> {
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.gpsd?.close();
    const st = this.gpsStatus();
    if (st) this.o.log(`gps totals: ${st}`);
    if (this.replay) clearTimeout(this.replay);
    await this.uplink.pump().catch(() => undefined);
    await this.uplink.close();
    await this.video?.close();
  }
}
