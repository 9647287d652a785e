// The camera list reducer: server events applied in any order keep the newest status; grouping and search.
import { describe, expect, it } from 'vitest';
import type { Camera, CameraStatus } from '../../common/api';
import { camera as fixtureCamera } from './test-fixtures';
import { applyCameraEvent, cameraMapOf, cameraMatches, CameraStore, groupCameras, upsertCamera } from './cameras';

function status(cameraId: number, state: CameraStatus['state'], sinceMs: number, extra: Partial<CameraStatus> = {}): CameraStatus {
  return { cameraId, state, lastError: null, reason: null, bitrateBps: null, sinceMs, failures: 0, nextRetryMs: null, ...extra };
}

function camera(id: number, name: string, groupName: string | null = null, st = status(id, 'connecting', 100)): Camera {
  return { ...fixtureCamera(id, name, groupName), status: st };
}

describe('applyCameraEvent', () => {
  const base = cameraMapOf([camera(1, 'Gate'), camera(2, 'Hall')]);

  it('updates the status of a known camera and ignores unknown ones', () => {
    const next = applyCameraEvent(base, { type: 'camera.status', status: status(1, 'recording', 200, { bitrateBps: 4e6 }) });
    expect(next.get(1)?.status.state).toBe('recording');
    expect(next.get(1)?.status.bitrateBps).toBe(4e6);
    expect(base.get(1)?.status.state).toBe('connecting'); // not mutated
    expect(applyCameraEvent(base, { type: 'camera.status', status: status(9, 'recording', 200) })).toBe(base);
  });

  it('adds and replaces on camera.changed, removes on camera.deleted', () => {
    const added = applyCameraEvent(base, { type: 'camera.changed', camera: camera(3, 'Yard') });
    expect([...added.keys()]).toEqual([1, 2, 3]);
    const removed = applyCameraEvent(added, { type: 'camera.deleted', cameraId: 2 });
    expect([...removed.keys()]).toEqual([1, 3]);
    expect(applyCameraEvent(removed, { type: 'camera.deleted', cameraId: 2 })).toBe(removed);
  });

  it('leaves the list alone for other events', () => {
    expect(applyCameraEvent(base, { type: 'hello', serverTimeMs: 1 })).toBe(base);
    expect(applyCameraEvent(base, { type: 'retention.deleted', cameraId: 1, segments: 3, bytes: 10 })).toBe(base);
  });

  it('keeps a newer live status when an older copy of the camera arrives (HTTP answer after the event)', () => {
    const live = applyCameraEvent(base, { type: 'camera.status', status: status(1, 'reconnecting', 500, { lastError: 'refused' }) });
    const stale = camera(1, 'Gate renamed', null, status(1, 'connecting', 100));
    const merged = upsertCamera(live, stale);
    expect(merged.get(1)?.name).toBe('Gate renamed');
    expect(merged.get(1)?.status.state).toBe('reconnecting');
  });

  it('CameraStore.replaceAll marks the list loaded and keeps newer statuses', () => {
    const store = new CameraStore();
    expect(store.loaded.get()).toBe(false);
    store.apply({ type: 'camera.changed', camera: camera(1, 'Gate', null, status(1, 'recording', 900)) });
    store.replaceAll([camera(1, 'Gate', null, status(1, 'connecting', 100)), camera(2, 'Hall')]);
    expect(store.loaded.get()).toBe(true);
    expect(store.get().get(1)?.status.state).toBe('recording');
    expect(store.get().size).toBe(2);
  });
});

describe('grouping and search', () => {
  it('groups by name with ungrouped last, cameras sorted naturally', () => {
    const groups = groupCameras([camera(1, 'Cam 10', 'North'), camera(2, 'Cam 2', 'North'), camera(3, 'Lobby'), camera(4, 'Dock', 'East')]);
    expect(groups.map((g) => g.name)).toEqual(['East', 'North', null]);
    expect(groups[1].cameras.map((c) => c.name)).toEqual(['Cam 2', 'Cam 10']);
  });

  it('matches all words in name, group, description or URL', () => {
    const c = camera(5, 'Gate North', 'Depot');
    expect(cameraMatches(c, '')).toBe(true);
    expect(cameraMatches(c, 'gate depot')).toBe(true);
    expect(cameraMatches(c, '10.0.0.5')).toBe(true);
    expect(cameraMatches(c, 'gate south')).toBe(false);
  });
});
