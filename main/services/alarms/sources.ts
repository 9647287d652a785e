// Alarm sources derived from what the server already reports: camera and unit status changes, and free disk space.
import fs from 'node:fs';
import type { AlarmCause } from '../../../common/alarms';
import { UNIT_LINKS, type CameraState, type CameraStatus, type UnitLinkKind, type UnitStatus } from '../../../common/api';
import type { DeviceEventType } from '../../../common/device-events';
import type { ServerEvent } from '../../../common/events';

/** A device event the watchers want recorded (through the DeviceEventService, so it is stored and alarmed like any other). */
export interface DerivedEvent {
  cameraId: number | null;
  type: DeviceEventType;
  detail: Record<string, unknown>;
}

/** The alarm of a lost unit link: its cause code (translated by the console) and the server's English text. */
export const UNIT_LINK_LOST: Record<UnitLinkKind, { cause: AlarmCause; message: string }> = {
  video: { cause: 'video_link_lost', message: 'Unit lost its video link' },
  telemetry: { cause: 'telemetry_link_lost', message: 'Unit stopped reporting its position' },
};

const VIDEO_LOSS = /stopped sending video|sent no video|unreadable data|closed the connection|not a readable video stream|stream ended/i;
const RECORDING_FAULT = /disk is full|permission denied|read-only|cannot write/i;
const GOOD: ReadonlySet<CameraState> = new Set(['recording']);
const DOWN: ReadonlySet<CameraState> = new Set(['reconnecting', 'failed']);

/**
 * Turns status transitions into device events: a camera that was recording and drops → video_loss (it stopped sending
 * video) or camera_offline (unreachable, refused, timed out); a recorder that fails for a local reason (disk, folder)
 * or gives up ('failed') → recording_failed; a unit losing its video or its telemetry link → unit_offline naming
 * that link (minor while the other link works, major when it was the last); a unit's recorder failing →
 * recording_failed. Only transitions raise: the first status seen of a source is just remembered.
 */
export class StatusWatcher {
  private readonly cameras = new Map<number, CameraStatus>();
  private readonly units = new Map<number, UnitStatus>();

  constructor(
    private readonly o: {
      /** True for the rows of mobile units (their recorder status is reported through unit.status). */
      isUnit: (id: number) => Promise<boolean>;
      emit: (ev: DerivedEvent) => void;
    },
  ) {}

  onServerEvent(ev: ServerEvent): void {
    if (ev.type === 'camera.status') void this.onCamera(ev.status);
    else if (ev.type === 'unit.status') this.onUnit(ev.status);
    else if (ev.type === 'camera.deleted') this.cameras.delete(ev.cameraId);
    else if (ev.type === 'unit.deleted') this.units.delete(ev.unitId);
  }

  private async onCamera(s: CameraStatus): Promise<void> {
    const prev = this.cameras.get(s.cameraId);
    this.cameras.set(s.cameraId, s);
    if (!prev || prev.state === s.state) return;
    if (await this.o.isUnit(s.cameraId)) return;
    const detail = { source: 'argus', state: s.state, reason: s.lastError, reasonMsg: s.reason };
    if (s.lastError && RECORDING_FAULT.test(s.lastError) && DOWN.has(s.state)) {
      this.o.emit({ cameraId: s.cameraId, type: 'recording_failed', detail });
    } else if (GOOD.has(prev.state) && DOWN.has(s.state)) {
      this.o.emit({ cameraId: s.cameraId, type: s.lastError && VIDEO_LOSS.test(s.lastError) ? 'video_loss' : 'camera_offline', detail });
    } else if (s.state === 'failed' && prev.state !== 'failed') {
      this.o.emit({ cameraId: s.cameraId, type: 'recording_failed', detail });
    }
  }

  private onUnit(s: UnitStatus): void {
    const prev = this.units.get(s.unitId);
    this.units.set(s.unitId, s);
    if (!prev) return;
    // Each link is reported on its own; losing one while the other still works is minor, losing the last is major.
    for (const link of UNIT_LINKS) {
      if (!prev[link].online || s[link].online) continue;
      const { cause, message } = UNIT_LINK_LOST[link];
      this.o.emit({
        cameraId: s.unitId,
        type: 'unit_offline',
        detail: {
          source: 'argus',
          link,
          cause,
          message,
          severity: s.online ? 'minor' : 'major',
          ...(link === 'video' && s.lastError ? { reason: s.lastError, reasonMsg: s.reason } : {}),
        },
      });
    }
    if (prev.recording !== 'failed' && s.recording === 'failed')
      this.o.emit({ cameraId: s.unitId, type: 'recording_failed', detail: { source: 'argus', reason: s.lastError, reasonMsg: s.reason } });
  }
}

/**
 * Low disk: checks the free space of the recordings volume every intervalMs and emits disk_low when it falls under
 * minFreeBytes (once per fall: it must rise above the minimum again before the next one).
 */
export class DiskWatcher {
  private timer: NodeJS.Timeout | null = null;
  private low = false;
  /** Test hook: overrides the free-space reading. */
  freeBytesOverride: (() => number | null) | null = null;

  constructor(
    private readonly o: {
      dir: string;
      minFreeBytes: number;
      intervalMs: number;
      emit: (ev: DerivedEvent) => void;
      log: (m: string) => void;
      /** Why the retention settings cannot keep any recording (checked once at start), or null. */
      settingsProblem?: () => Promise<string | null>;
    },
  ) {}

  start(): void {
    void this.o
      .settingsProblem?.()
      .then((problem) => {
        if (problem)
          this.o.emit({
            cameraId: null,
            type: 'disk_low',
            detail: {
              source: 'argus',
              cause: 'retention_cannot_keep',
              severity: 'critical',
              message: `The retention settings cannot keep any recording: ${problem}`,
            },
          });
      })
      .catch((err: Error) => this.o.log(`[alarms] cannot check the retention settings: ${err.message}`));
    this.timer = setInterval(() => this.check(), this.o.intervalMs);
    this.timer.unref();
    this.check();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  freeBytes(): number | null {
    if (this.freeBytesOverride) return this.freeBytesOverride();
    try {
      const st = fs.statfsSync(this.o.dir);
      return Number(st.bavail) * Number(st.bsize);
    } catch {
      return null;
    }
  }

  check(): void {
    const free = this.freeBytes();
    if (free === null) return;
    const low = free < this.o.minFreeBytes;
    if (low && !this.low) {
      this.o.log(`[alarms] free space ${free} B is under the minimum ${this.o.minFreeBytes} B`);
      this.o.emit({ cameraId: null, type: 'disk_low', detail: { source: 'argus', freeBytes: free, minFreeBytes: this.o.minFreeBytes } });
    }
    this.low = low;
  }
}
