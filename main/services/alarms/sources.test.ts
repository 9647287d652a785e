// Tests of the derived alarm sources: camera/unit status transitions and low disk.
import { describe, expect, it } from 'vitest';
import type { CameraStatus, UnitStatus } from '../../../common/api';
import { DiskWatcher, StatusWatcher, type DerivedEvent } from './sources';

const cam = (state: CameraStatus['state'], lastError: string | null = null): CameraStatus => ({
  cameraId: 3,
  state,
  lastError,
  reason: null,
  bitrateBps: null,
  sinceMs: 0,
  failures: 0,
  nextRetryMs: null,
});
const unit = (video: boolean, recording: UnitStatus['recording'] = 'recording', telemetry = false, lastError: string | null = null): UnitStatus => ({
  unitId: 9,
  online: video || telemetry,
  sinceMs: 0,
  video: { online: video, sinceMs: 0 },
  telemetry: { online: telemetry, sinceMs: 0, lastSeenMs: null },
  remoteAddress: null,
  bitrateBps: null,
  recording,
  lastError,
  reason: null,
});
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('status watcher', () => {
  it('turns camera drops into camera_offline / video_loss, and local recording failures into recording_failed', async () => {
    const out: DerivedEvent[] = [];
    const w = new StatusWatcher({ isUnit: async (id) => id === 9, emit: (e) => out.push(e) });
    const send = async (s: CameraStatus) => {
      w.onServerEvent({ type: 'camera.status', status: s });
      await tick();
    };
    await send(cam('connecting'));
    await send(cam('recording'));
    await send(cam('reconnecting', 'Camera did not answer in time'));
    await send(cam('recording'));
    await send(cam('reconnecting', 'Camera stopped sending video'));
    await send(cam('reconnecting', 'Camera stopped sending video')); // no transition
    await send(cam('recording'));
    await send(cam('reconnecting', 'Recording disk is full'));
    await send(cam('failed', 'Camera refused the connection (check address and port)'));
    expect(out.map((e) => e.type)).toEqual(['camera_offline', 'video_loss', 'recording_failed', 'recording_failed']);
    expect(out[0]).toMatchObject({ cameraId: 3, detail: { reason: 'Camera did not answer in time' } });
  });

  it('turns a unit going offline into unit_offline and ignores the camera status of unit rows', async () => {
    const out: DerivedEvent[] = [];
    const w = new StatusWatcher({ isUnit: async (id) => id === 9, emit: (e) => out.push(e) });
    w.onServerEvent({ type: 'unit.status', status: unit(false, 'stopped') });
    w.onServerEvent({ type: 'unit.status', status: unit(true) });
    w.onServerEvent({ type: 'unit.status', status: unit(false, 'stopped') });
    w.onServerEvent({ type: 'unit.status', status: unit(true, 'failed') });
    w.onServerEvent({ type: 'camera.status', status: { ...cam('recording'), cameraId: 9 } });
    w.onServerEvent({ type: 'camera.status', status: { ...cam('reconnecting'), cameraId: 9 } });
    await tick();
    expect(out.map((e) => [e.type, e.cameraId])).toEqual([
      ['unit_offline', 9],
      ['recording_failed', 9],
    ]);
  });

  it('names the lost link: video lost while GPS reports is minor, losing the last link is major (item 10)', () => {
    const out: DerivedEvent[] = [];
    const w = new StatusWatcher({ isUnit: async (id) => id === 9, emit: (e) => out.push(e) });
    const send = (s: UnitStatus) => w.onServerEvent({ type: 'unit.status', status: s });
    send(unit(false, 'stopped', false));
    send(unit(false, 'stopped', true)); // GPS only: online, nothing lost
    send(unit(true, 'recording', true));
    send(unit(false, 'reconnecting', true, 'Camera stopped sending video')); // video lost, GPS still up
    send(unit(false, 'stopped', false)); // then GPS
    send(unit(true, 'recording', false));
    send(unit(false, 'stopped', false, 'Camera stopped sending video')); // the only link
    expect(out.map((e) => [e.detail.cause, e.detail.message, e.detail.severity])).toEqual([
      ['video_link_lost', 'Unit lost its video link', 'minor'],
      ['telemetry_link_lost', 'Unit stopped reporting its position', 'major'],
      ['video_link_lost', 'Unit lost its video link', 'major'],
    ]);
    expect(out.every((e) => e.type === 'unit_offline' && e.cameraId === 9)).toBe(true);
  });
});

describe('disk watcher', () => {
  it('emits disk_low once per fall under the minimum', () => {
    const out: DerivedEvent[] = [];
    const w = new DiskWatcher({ dir: '/', minFreeBytes: 1000, intervalMs: 1000, emit: (e) => out.push(e), log: () => undefined });
    let free = 5000;
    w.freeBytesOverride = () => free;
    w.check();
    free = 10;
    w.check();
    w.check();
    free = 2000;
    w.check();
    free = 999;
    w.check();
    expect(out.map((e) => [e.type, e.cameraId, e.detail.freeBytes])).toEqual([
      ['disk_low', null, 10],
      ['disk_low', null, 999],
    ]);
  });
});
