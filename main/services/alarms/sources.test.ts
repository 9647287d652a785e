// Tests of the derived alarm sources: camera/unit status transitions and low disk.
import { describe, expect, it } from 'vitest';
import type { CameraStatus, UnitStatus } from '../../../common/api';
import { DiskWatcher, StatusWatcher, type DerivedEvent } from './sources';

const cam = (state: CameraStatus['state'], lastError: string | null = null): CameraStatus => ({ cameraId: 3, state, lastError, bitrateBps: null, sinceMs: 0, failures: 0, nextRetryMs: null });
const unit = (online: boolean, recording: UnitStatus['recording'] = 'recording'): UnitStatus => ({ unitId: 9, online, sinceMs: 0, remoteAddress: null, bitrateBps: null, recording, lastError: null });
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
